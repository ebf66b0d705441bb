namespace GuestStub.DeviceTree;

/// <summary>
/// One interrupt specifier: 1 to 4 cells whose meaning belongs to the controller's binding.
/// For an Arm GIC (arm,gic-v3 / arm,cortex-a15-gic: 3 cells) cell 0 is the type (0 SPI,
/// 1 PPI), cell 1 the number within that type, cell 2 the trigger flags; Xen's hypervisor
/// node uses this form (docs/misc/arm/device-tree/guest.txt).
/// </summary>
public readonly struct DtInterruptSpecifier
{
    public const int MaxCells = 4;

    public readonly int CellCount;
    public readonly uint Cell0;
    public readonly uint Cell1;
    public readonly uint Cell2;
    public readonly uint Cell3;

    public DtInterruptSpecifier(int cellCount, uint cell0, uint cell1, uint cell2, uint cell3)
    {
        CellCount = cellCount;
        Cell0 = cell0;
        Cell1 = cell1;
        Cell2 = cell2;
        Cell3 = cell3;
    }

    public const uint GicSpi = 0;
    public const uint GicPpi = 1;

    /// <summary>The GIC interrupt ID for a 3-cell GIC specifier: PPI n is INTID 16 + n
    /// (n &lt; 16), SPI n is INTID 32 + n (n &lt; 988). False for any other shape.</summary>
    public bool TryGetGicIntId(out uint intId)
    {
        intId = 0;
        if (CellCount < 3)
            return false;
        if (Cell0 == GicPpi && Cell1 < 16)
        {
            intId = 16 + Cell1;
            return true;
        }
        if (Cell0 == GicSpi && Cell1 < 988)
        {
            intId = 32 + Cell1;
            return true;
        }
        return false;
    }
}

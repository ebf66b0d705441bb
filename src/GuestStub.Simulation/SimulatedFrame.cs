using System;
using System.Runtime.InteropServices;
using GuestStub.Memory;

namespace GuestStub.Simulation;

/// <summary>Who a modelled machine frame belongs to.</summary>
public enum FrameKind
{
    /// <summary>One of the guest's RAM pages.</summary>
    GuestRam,
    /// <summary>The shared_info page (a xenheap page).</summary>
    SharedInfo,
    /// <summary>A grant-table frame (a xenheap page).</summary>
    GrantTable,
}

/// <summary>
/// A 4 KiB machine frame with its own native backing (so Core code gets a stable pointer), and
/// for xenheap frames the guest frame it is mapped at, if any: Xen 4.17 refuses a second mapping
/// of such a page with -EBUSY until it is removed.
/// </summary>
public sealed unsafe class SimulatedFrame : IDisposable
{
    public const int SizeBytes = (int)PageSize.Bytes;

    public SimulatedFrame(FrameKind kind, ulong machineFrame, uint index = 0)
    {
        Kind = kind;
        MachineFrame = machineFrame;
        Index = index;
        Data = (byte*)NativeMemory.AllocZeroed(SizeBytes);
        _ownsData = true;
    }

    /// <summary>A frame whose 4 KiB live in someone else's buffer (a boot RAM bank's backing,
    /// so consecutive RAM pages are contiguous as in the guest's identity map).</summary>
    public SimulatedFrame(FrameKind kind, ulong machineFrame, byte* data)
    {
        Kind = kind;
        MachineFrame = machineFrame;
        Data = data;
        _ownsData = false;
    }

    private readonly bool _ownsData;

    public FrameKind Kind { get; }
    public ulong MachineFrame { get; }
    /// <summary>Grant frames: the table index.</summary>
    public uint Index { get; }
    public byte* Data { get; private set; }

    /// <summary>Xenheap frames: where the guest maps it now.</summary>
    public ulong? MappedAt { get; set; }

    public Span<byte> Bytes => new(Data, SizeBytes);

    public override string ToString() => Kind switch
    {
        FrameKind.GrantTable => $"grant frame {Index}",
        FrameKind.SharedInfo => "shared_info",
        _ => $"RAM mfn {HostText.Hex(MachineFrame)}",
    };

    public void Dispose()
    {
        if (Data != null && _ownsData)
            NativeMemory.Free(Data);
        Data = null;
    }
}

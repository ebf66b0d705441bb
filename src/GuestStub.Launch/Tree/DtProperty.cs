using System.Linq;

namespace GuestStub.Launch.Tree;

/// <summary>A property of a node: its name and value.</summary>
public sealed record DtProperty(string Name, DtValue Value)
{
    public static DtProperty Empty(string name) => new(name, new DtValue.Empty());

    public static DtProperty String(string name, params string[] values) => new(name, new DtValue.Strings(values));

    public static DtProperty Cells(string name, params DtCell[] cells) => new(name, new DtValue.Cells(cells));

    /// <summary>A 64-bit number as two cells (<c>#address-cells</c> or <c>#size-cells</c> = 2).</summary>
    public static DtCell[] U64(ulong value) => new DtCell[] { (uint)(value >> 32), (uint)value };

    /// <summary><c>reg = &lt;address size&gt;</c> with two cells each.</summary>
    public static DtProperty Reg(ulong address, ulong size) => Cells("reg", U64(address).Concat(U64(size)).ToArray());
}

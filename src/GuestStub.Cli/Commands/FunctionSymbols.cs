using System.Collections.Generic;
using System.Linq;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Cli.Commands;

/// <summary>A function symbol: its name, start address and size in bytes (0: unknown).</summary>
public readonly record struct FunctionSymbol(string Name, ulong Start, ulong Size);

/// <summary>
/// The function symbols of an ELF, by address, for <c>gueststub symbolize</c>: "Name+0xoffset"
/// of the function that holds an address.
/// </summary>
public sealed class FunctionSymbols
{
    private readonly FunctionSymbol[] _byAddress;

    public FunctionSymbols(IEnumerable<FunctionSymbol> functions) =>
        _byAddress = functions.OrderBy(f => f.Start).ToArray();

    /// <summary>The named function symbols of <paramref name="file"/>'s symbol table.</summary>
    public static FunctionSymbols From(ElfFile file) =>
        new((file.SymbolTable()?.Entries ?? new List<ElfSymbol>())
            .Where(s => s.Type == ElfSymbolType.Function && s.SectionLink.Section is not null && !string.IsNullOrEmpty(s.Name.Value))
            .Select(s => new FunctionSymbol(s.Name.Value, s.Value, s.Size)));

    /// <summary>"Name+0xoffset" of the function holding the address, or "??". A symbol of size 0
    /// holds everything from its start to the next one's.</summary>
    public string Describe(ulong address)
    {
        FunctionSymbol? best = null;
        foreach (FunctionSymbol f in _byAddress)
        {
            if (f.Start > address)
                break;
            if (f.Size == 0 || address - f.Start < f.Size)
                best = f;
        }
        return best is { } b ? $"{b.Name}+0x{address - b.Start:x}" : "??";
    }
}

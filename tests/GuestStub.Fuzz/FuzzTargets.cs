using System;
using System.Collections.Generic;

namespace GuestStub.Fuzz;

/// <summary>One fuzz target: a name, what it exercises, and the action on one input.</summary>
public sealed record FuzzTarget(string Name, string Description, Action<byte[]> Run);

/// <summary>The targets of <c>./build.sh fuzz TARGET</c> (<see cref="AflCampaign"/>).</summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyList<FuzzTarget> All = new FuzzTarget[]
    {
        new("dtb", "the DTB reader: validate, walk every node and property, boot facts; libfdt must accept what it accepts",
            DtbTarget.Run),
        new("regions", "extended-region registration from fuzzed hypervisor nodes (a DTB) or raw region lists, with its invariants",
            RegionsTarget.Run),
        new("elf", "the packager's input checks (Packager.Package on a fuzzed linked ELF)", ElfTarget.Run),
        new("symbolize", "gueststub symbolize's line loop, address parsing and symbol lookup on a fuzzed console log (llvm-symbolizer stood in for)",
            SymbolizeTarget.Run),
    };

    public static FuzzTarget? Find(string name)
    {
        foreach (FuzzTarget t in All)
        {
            if (t.Name == name)
                return t;
        }
        return null;
    }
}

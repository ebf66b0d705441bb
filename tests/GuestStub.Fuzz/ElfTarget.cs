using System.Collections.Generic;
using GuestStub.Packager;

namespace GuestStub.Fuzz;

/// <summary>
/// <c>elf</c>: the packager's input checks, through its public entry point
/// <see cref="Packager.Packager.Package"/> on a fuzzed linked ELF. A malformed or unbootable input
/// must come back as refusals; an exception (including the packager's own read-back check) is a
/// finding. Thin on purpose: the entry point is what the build calls.
/// </summary>
internal static class ElfTarget
{
    private static readonly ManagedTypeNames s_noTypes = ManagedTypeNames.Load(new List<string>());

    public static void Run(byte[] input) => Packager.Packager.Package(input, "0.0.0-fuzz", s_noTypes, budgetBytes: 98304);
}

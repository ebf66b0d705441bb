using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace GuestStub.Analyzers.Tests.Support;

/// <summary>
/// A tiny linked AArch64 ELF with functions named as ilc names the guest's methods, each calling
/// the functions it is given: the call graph analyzers/check-core-calls.sh reads from a real
/// guest, in a few instructions. Assembled by clang-14 and linked by ld.lld-14, as build.sh does.
/// </summary>
internal sealed class CraftedGuest : IDisposable
{
    private readonly string _directory;

    public string Elf { get; }

    /// <param name="functions">Each function's name and the functions it branches to with
    /// <c>bl</c> (or with <c>b</c>, a tail call, when the callee is written "b:NAME").</param>
    public CraftedGuest(IEnumerable<(string Name, string[] Calls)> functions)
    {
        _directory = Path.Combine(Path.GetTempPath(), "gueststub-analyzers-tests", "crafted-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        var source = new StringBuilder("\t.text\n\t.globl _start\n_start:\n\tret\n");
        foreach ((string name, string[] calls) in functions)
        {
            source.Append($"\t.globl \"{name}\"\n\t.type \"{name}\", %function\n\"{name}\":\n");
            foreach (string call in calls)
                source.Append(call.StartsWith("b:", StringComparison.Ordinal) ? $"\tb \"{call[2..]}\"\n" : $"\tbl \"{call}\"\n");
            source.Append("\tret\n");
        }
        string asm = Path.Combine(_directory, "guest.S"), obj = Path.Combine(_directory, "guest.o");
        Elf = Path.Combine(_directory, "guest.elf");
        File.WriteAllText(asm, source.ToString());
        Require(Command.Run("clang-14", _directory, TimeSpan.FromMinutes(1), "--target=aarch64-none-elf", "-c", asm, "-o", obj));
        Require(Command.Run("ld.lld-14", _directory, TimeSpan.FromMinutes(1), "-static", "-nostdlib", "-o", Elf, obj));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void Require(Command.Result r)
    {
        if (r.ExitCode != 0)
            throw new InvalidOperationException("building the crafted guest failed: " + r.Output);
    }

    /// <summary>Functions written one a line, "NAME" or "NAME -> CALLEE, b:TAILCALLEE".</summary>
    public static (string, string[])[] Functions(params string[] lines) => lines.Select(Parse).ToArray();

    private static (string, string[]) Parse(string line)
    {
        int arrow = line.IndexOf(" -> ", StringComparison.Ordinal);
        return arrow < 0 ? (line, Array.Empty<string>()) : (line[..arrow], line[(arrow + 4)..].Split(", "));
    }
}

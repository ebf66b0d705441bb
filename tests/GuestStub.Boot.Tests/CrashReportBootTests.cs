using System;
using System.IO;
using System.Linq;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Crash reports that name the C# line: the abort self-test's report, run through
/// <c>gueststub symbolize</c> as ./build.sh run does, names SelfTests.cs and its callers up to the
/// entry; the stack-overflow self-test's report says "stack overflow" and names the stack.
/// </summary>
public class CrashReportBootTests
{
    private static string Symbolize(string log)
    {
        string path = Path.Combine(RepoPaths.TempDirectory("symbolize"), "console.log");
        File.WriteAllText(path, log);
        var (code, output) = ToolRunner.Run("dotnet", RepoPaths.Cli, "symbolize", "--elf", RepoPaths.GuestElf, path);
        Assert.True(code == 0, output);
        return output;
    }

    [Fact]
    public void Abort_report_symbolized_names_the_faulting_CSharp_line_and_its_callers_up_to_the_entry()
    {
        BootRun run = Boots.Bare(new BootShape { Append = "gueststub.selftest=abort" });
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        string[] lines = Symbolize(run.Output).Split('\n');
        // x30 at the fault: the C# statement that called the faulting assembly leaf, to the line.
        int faulting = LineOf("src/GuestStub.Guest/SelfTests.cs", "Native.ReadU64(address);");
        Assert.Contains(lines, l => l.Contains("SelfTests__Run") && l.EndsWith($"src/GuestStub.Guest/SelfTests.cs:{faulting}"));
        int caller = LineOf("src/GuestStub.Guest/Entry.cs", "SelfTests.Run(");
        Assert.Contains(lines, l => l.Contains("gueststub_main") && l.EndsWith($"src/GuestStub.Guest/Entry.cs:{caller}"));
        Assert.Contains(lines, l => l.Contains("primary_switched") && l.Contains("native/head.S:"));
        Assert.Contains("GuestStub:   end of backtrace: frame pointer 0 (the entry)", lines);
        // Every line of the console is passed through unchanged.
        foreach (string l in run.RawLines().Where(l => l.Length > 0))
            Assert.Contains(l, lines);
    }

    /// <summary>The 1-based line of the only line in <paramref name="file"/> holding <paramref name="text"/>.</summary>
    private static int LineOf(string file, string text)
    {
        string[] source = File.ReadAllLines(Path.Combine(RepoPaths.Root, file));
        int[] hits = Enumerable.Range(0, source.Length).Where(i => source[i].Contains(text)).ToArray();
        Assert.True(hits.Length == 1, $"{file}: expected one line with '{text}', found {hits.Length}");
        return hits[0] + 1;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Stack_overflow_is_reported_as_such_and_names_the_main_stack(bool underXen)
    {
        var options = new BootShape { Append = "gueststub.selftest=stack-overflow" };
        BootRun run = underXen ? Boots.XenDom0(options) : Boots.Bare(options);
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        Assert.Contains(run.GuestLines(), l => l.StartsWith("GuestStub:   stack overflow: the main stack 0x", StringComparison.Ordinal) && l.Contains("ran into its guard page"));
        Assert.Contains(run.GuestLines(), l => l.StartsWith("GuestStub:   end of backtrace: 32 frame records shown", StringComparison.Ordinal));
        Assert.DoesNotContain(run.GuestLines(), l => l.Contains("the recursion returned"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_exception_stacks_guard_page_faults_and_is_named_as_that_stacks_overflow(bool underXen)
    {
        var options = new BootShape { Append = "gueststub.selftest=exception-stack-guard" };
        BootRun run = underXen ? Boots.XenDom0(options) : Boots.Bare(options);
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        ulong guard = ToolRunner.SymbolAddress(RepoPaths.GuestElf, "__exception_stack_guard");
        Assert.Contains($"GuestStub: selftest exception-stack-guard: loading from 0x{guard:x}", run.GuestLines());
        Assert.Contains(run.GuestLines(), l => l.StartsWith("GuestStub:   stack overflow: the exception stack 0x", StringComparison.Ordinal) && l.Contains("ran into its guard page"));
        Assert.DoesNotContain(run.GuestLines(), l => l.Contains("the load did not fault"));
    }
}

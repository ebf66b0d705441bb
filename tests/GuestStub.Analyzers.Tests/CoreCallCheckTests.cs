using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Analyzers.Tests.Support;
using Xunit;

namespace GuestStub.Analyzers.Tests;

/// <summary>
/// analyzers/check-core-calls.sh, the check ./build.sh build runs on the linked guest: a Core
/// method that reaches the runtime's allocation or throw helpers, directly or through other code,
/// fails it, named with its call chain; guest and runtime code may use them; the real guest passes.
/// </summary>
public sealed class CoreCallCheckTests
{
    private const string CoreMethod = "GuestStub_Guest_GuestStub_Boot_Leaky__Make";
    private const string GuestMethod = "GuestStub_Guest_GuestStub_Guest_SelfTests__Run";

    private static Command.Result Check(string elf, params string[] assembly) =>
        Command.Run(Path.Combine(RepoPaths.Root, "analyzers", "check-core-calls.sh"), RepoPaths.Root, TimeSpan.FromMinutes(1),
            new[] { elf }.Concat(assembly).ToArray());

    [Fact]
    public void ACoreMethodCallingAnAllocationHelper_FailsTheCheck_NamingTheMethod()
    {
        using var guest = new CraftedGuest(CraftedGuest.Functions(
            "RhpNewFast",
            "RhpThrowEx",
            $"{CoreMethod} -> RhpNewFast"));
        Command.Result r = Check(guest.Elf);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"Core method {CoreMethod} allocates on the heap: it reaches RhpNewFast (call chain: {CoreMethod} -> RhpNewFast)", r.Stderr);
        Assert.Contains("1 Core method(s) reach the runtime's allocation or throw helpers: Core must not allocate or throw (Core rules, src/GuestStub.Core/README.md)", r.Stderr);
    }

    [Fact]
    public void ACoreMethodReachingAThrowThroughRuntimeAndGuestCode_FailsTheCheck_WithTheChain()
    {
        const string runtime = "GuestStub_Runtime_System_Widget__Parse";
        const string sink = "GuestStub_Guest_GuestStub_Guest_GuestConsole__Write";
        const string generic = "GuestStub_Guest_GuestStub_Text_TextFormat__Hex<GuestStub_Guest_GuestStub_Guest_GuestConsole>";
        using var guest = new CraftedGuest(CraftedGuest.Functions(
            "RhpNewFast",
            "RhpThrowEx",
            $"{runtime} -> b:RhpThrowEx",
            $"{sink} -> {runtime}",
            $"{generic} -> {sink}"));
        Command.Result r = Check(guest.Elf);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"Core method {generic} throws: it reaches RhpThrowEx (call chain: {generic} -> {sink} -> {runtime} -> RhpThrowEx)", r.Stderr);
    }

    [Fact]
    public void ACallerOfACoreMethodThatAllocates_IsNotReportedAgain()
    {
        const string caller = "GuestStub_Guest_GuestStub_Boot_BootSequence__Run";
        using var guest = new CraftedGuest(CraftedGuest.Functions(
            "RhpNewArray",
            $"{CoreMethod} -> RhpNewArray",
            $"{caller} -> {CoreMethod}"));
        Command.Result r = Check(guest.Elf);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"Core method {CoreMethod} allocates", r.Stderr);
        Assert.DoesNotContain($"Core method {caller}", r.Stderr);
    }

    [Fact]
    public void GuestAndRuntimeCodeMayAllocateAndThrow_AndCoreMayFailFastOnItsChecks()
    {
        using var guest = new CraftedGuest(CraftedGuest.Functions(
            "RhpNewFast",
            "RhpThrowEx",
            "RhpFallbackFailFast",
            "GuestStub_Runtime_Internal_Runtime_CompilerHelpers_ThrowHelpers__ThrowIndexOutOfRangeException",
            $"{GuestMethod} -> RhpNewFast, RhpThrowEx, {CoreMethod}",
            $"{CoreMethod} -> GuestStub_Runtime_Internal_Runtime_CompilerHelpers_ThrowHelpers__ThrowIndexOutOfRangeException, RhpFallbackFailFast"));
        Command.Result r = Check(guest.Elf);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Equal("", r.Output);
    }

    [Fact]
    public void AnElfWithoutCoreMethods_FailsTheCheck_RatherThanPassingUnchecked()
    {
        using var guest = new CraftedGuest(CraftedGuest.Functions("RhpNewFast", "Main -> RhpNewFast"));
        Command.Result r = Check(guest.Elf);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no Core methods", r.Stderr);
    }

    /// <summary>
    /// Every helper the guest runtime exports is either one the check stops Core from reaching
    /// or listed here as harmless: a helper added to the runtime later needs a decision.
    /// </summary>
    [Fact]
    public void EveryRuntimeExport_IsCaughtByTheCheck_OrKnownHarmless()
    {
        string[] harmless =
        {
            "RhpPInvoke", "RhpPInvokeReturn", "RhpReversePInvoke", "RhpReversePInvokeReturn", "RhpGcPoll",
            "RhpFallbackFailFast", "GuestStubRuntimeInitialize",
        };
        string[] exports = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "GuestStub.Runtime"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "RuntimeExport\\(\"([^\"]+)\"\\)").Select(m => m.Groups[1].Value))
            .Distinct().Except(harmless).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains("RhpNewFast", exports);
        Assert.Contains("RhpThrowEx", exports);

        using var guest = new CraftedGuest(exports.Select(e => (e, Array.Empty<string>()))
            .Concat(exports.Select((e, i) => ($"GuestStub_Guest_GuestStub_Boot_Caller__Call{i}", new[] { e })))
            .Append(("GuestStub_Runtime_Internal_Runtime_BumpAllocator__Allocate", Array.Empty<string>()))
            .Append(($"{CoreMethod}Raw", new[] { "GuestStub_Runtime_Internal_Runtime_BumpAllocator__Allocate" })));
        Command.Result r = Check(guest.Elf);
        Assert.Equal(1, r.ExitCode);
        Assert.All(exports.Append("GuestStub_Runtime_Internal_Runtime_BumpAllocator__Allocate"),
            e => Assert.Contains($"it reaches {e} (", r.Stderr));
    }

    /// <summary>In the test image (assembly GuestStub.GuestTests) Core and the vectors' checkers
    /// are held to the rules; its runner (GuestStub.GuestTests) and the product's guest code
    /// (GuestStub.Guest) are not.</summary>
    [Fact]
    public void InTheTestImage_CoreAndTheVectorCheckersAreChecked_TheRunnerAndGuestCodeAreNot()
    {
        const string checker = "GuestStub_GuestTests_GuestStub_Vectors_ScratchSequenceVectors__Check";
        const string core = "GuestStub_GuestTests_GuestStub_DeviceTree_Dtb__Open";
        const string runner = "GuestStub_GuestTests_GuestStub_GuestTests_VectorRun__All";
        const string guest = "GuestStub_GuestTests_GuestStub_Guest_SelfTests__Run";
        using var image = new CraftedGuest(CraftedGuest.Functions(
            "RhpNewFast",
            "RhpThrowEx",
            $"{checker} -> RhpNewFast",
            $"{core} -> RhpThrowEx",
            $"{runner} -> RhpNewFast, {checker}",
            $"{guest} -> RhpThrowEx"));
        Command.Result r = Check(image.Elf, "GuestStub.GuestTests");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"Core method {checker} allocates on the heap", r.Stderr);
        Assert.Contains($"Core method {core} throws", r.Stderr);
        Assert.Contains("2 Core method(s) reach", r.Stderr);
        Assert.DoesNotContain($"Core method {runner}", r.Stderr);
        Assert.DoesNotContain($"Core method {guest}", r.Stderr);

        // Read as the product (the default), the same image has no Core methods at all.
        Assert.Equal(2, Check(image.Elf).ExitCode);
    }

    [Fact]
    public void TheBuiltTestImage_PassesTheCheck()
    {
        string elf = Path.Combine(RepoPaths.Root, "out", "guest-tests.elf");
        Assert.True(File.Exists(elf), $"{elf} is missing: run ./build.sh build first");
        Command.Result r = Check(elf, "GuestStub.GuestTests");
        Assert.True(r.ExitCode == 0, r.Output);
    }

    [Fact]
    public void TheBuiltGuest_PassesTheCheck()
    {
        string elf = Path.Combine(RepoPaths.Root, "out", "guest.elf");
        Assert.True(File.Exists(elf), $"{elf} is missing: run ./build.sh build first");
        Command.Result r = Check(elf);
        Assert.True(r.ExitCode == 0, r.Output);
    }
}

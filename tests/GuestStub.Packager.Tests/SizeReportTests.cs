using System.IO;
using System.Linq;
using GuestStub.Packager.Tests.TestSupport;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>The size report: per section, per C# namespace, adding up to the Image.</summary>
public sealed class SizeReportTests
{
    private static readonly ManagedTypeNames s_testTypes = ManagedTypeNames.Load(new[] { typeof(SizeReportTests).Assembly.Location });

    [Theory]
    // Assembly GuestStub.Packager.Tests, namespace GuestStub.Packager.Tests.TestSupport, type MiniGuest: which
    // '_' was a '.' only the type list can say.
    [InlineData("GuestStub_Packager_Tests_GuestStub_Packager_Tests_TestSupport_MiniGuest__Build", "GuestStub.Packager.Tests.TestSupport", "MiniGuest")]
    [InlineData("GuestStub_Packager_Tests_GuestStub_Packager_Tests_SizeReportTests", "GuestStub.Packager.Tests", "SizeReportTests")]
    [InlineData("_lsda0GuestStub_Packager_Tests_GuestStub_Packager_Tests_TestSupport_Edit__Apply", "GuestStub.Packager.Tests.TestSupport", "Edit")]
    [InlineData("__NONGCSTATICSGuestStub_Packager_Tests_GuestStub_Packager_Tests_TestSupport_Packaging", "GuestStub.Packager.Tests.TestSupport", "Packaging")]
    [InlineData("GuestStub_Packager_Tests_GuestStub_Packager_Tests_TestSupport_MiniGuest_Variant__ToString", "GuestStub.Packager.Tests.TestSupport", "MiniGuest+Variant")]
    [InlineData("GuestStub_Packager_Tests_GuestStub_Packager_Tests_Generic_1<UInt8>__Get", "GuestStub.Packager.Tests", "Generic`1")]
    public void IlcNames_ResolveToTheirNamespaceThroughTheTypeList(string symbol, string ns, string type)
    {
        ManagedTypeNames.ManagedType? resolved = s_testTypes.Resolve(symbol);
        Assert.NotNull(resolved);
        Assert.Equal(ns, resolved.Value.Namespace);
        Assert.Equal(type, resolved.Value.Name);
        Assert.Equal("GuestStub.Packager.Tests", resolved.Value.Assembly);
    }

    [Theory]
    [InlineData("__Str_hello_0123")]
    [InlineData("RhpAssignRefArm64")]
    [InlineData("GuestStub_Packager_Tests_GuestStub_Packager_Tests_NoSuchType__Method")]
    public void OtherNames_DoNotResolve(string symbol) => Assert.Null(s_testTypes.Resolve(symbol));

    [Fact]
    public void FixtureReport_NamespaceRowsAddUpToTheImage()
    {
        PackageResult result = Packaging.Run(MiniGuest.Linked());
        SizeReport report = result.Report!;
        Assert.Equal((ulong)result.Image.Length, report.ImageBytes);
        Assert.Equal(report.ImageBytes, report.Namespaces.Aggregate(0UL, (a, g) => a + g.Bytes));
        Assert.Contains(report.Namespaces, g => g.Name == SizeReport.NativeCode);
        Assert.Contains(report.Sections, s => s.Name == ".eh_frame" && !s.Loaded);
        Assert.Contains(report.Sections, s => s.Name == ".bss" && s.Loaded && s.FileBytes == 0 && s.MemoryBytes == 8192);
    }

    [Fact]
    public void RealReport_AttributesEveryCSharpSymbolToANamespace()
    {
        ManagedTypeNames types = ManagedTypeNames.Load(RealBuild.Assemblies);
        PackageResult result = Packager.Package(File.ReadAllBytes(RealBuild.LinkedElf), RealBuild.Version, types, 96 * 1024);
        SizeReport report = result.Report!;
        Assert.Equal(report.ImageBytes, report.Namespaces.Aggregate(0UL, (a, g) => a + g.Bytes));
        Assert.DoesNotContain(report.UnresolvedSymbols, s => s.StartsWith("GuestStub_", System.StringComparison.Ordinal));
        foreach (string ns in new[] { "GuestStub.DeviceTree", "GuestStub.Guest", "System" })
            Assert.Contains(report.Namespaces, g => g.Name == ns && g.Bytes > 0);
        string text = File.ReadAllText(RealBuild.SizeReport);
        Assert.Contains("GuestStub.DeviceTree", text);
        Assert.Contains($"Image (out/guest.img): {new FileInfo(RealBuild.GuestImage).Length} bytes", text);
    }
}

/// <summary>A generic type for the name-resolution test (ilc writes Generic`1 as Generic_1).</summary>
internal sealed class Generic<T>
{
    public T? Value { get; set; }
}

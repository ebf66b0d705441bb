using GuestStub.Tests.Vectors;
using Xunit;

namespace GuestStub.Tests.Report;

/// <summary>
/// The report layer's and TextFormat's formatting, exact text: the vectors of
/// tests/vectors/report-lines.vec (tests/GuestStub.Vectors.Generator, Suites/ReportLineSuite.cs),
/// which the guest test image runs too.
/// </summary>
public class ReportLineTests
{
    public const string VectorFile = "report-lines.vec";

    public static TheoryData<string> Lines() => HostVectors.Names(VectorFile);

    [Theory]
    [MemberData(nameof(Lines))]
    public void Formatter_writes_exactly_the_expected_text(string name) => HostVectors.Run(VectorFile, name);
}

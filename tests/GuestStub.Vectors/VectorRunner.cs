using System;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// Runs one vector with the checker of its suite. The same code decides pass or fail on the
/// host (the xunit suite, one test per vector) and in the guest test image (every vector in one
/// boot), so a vector that passes on one target and fails on the other shows a difference of
/// the targets, not of the tests.
/// </summary>
public static class VectorRunner
{
    /// <summary>True when the vector passes; otherwise what differed is written to
    /// <paramref name="detail"/> (one line's worth, no newline).</summary>
    public static bool Run<TSink>(in VectorRecord record, scoped ref VectorWorkspace workspace, ref TSink detail) where TSink : struct, ITextSink
    {
        switch (record.Suite)
        {
            case VectorSuite.DtbMalformed:
                return MalformedDtbVectors.Check(record, ref detail);
            case VectorSuite.BootFacts:
                return BootFactsVectors.Check(record, ref detail);
            case VectorSuite.ExtendedRegions:
                return ExtendedRegionVectors.Check(record, ref detail);
            case VectorSuite.ScratchSequence:
                return ScratchSequenceVectors.Check(record, ref workspace, ref detail);
            case VectorSuite.ReportLines:
                return ReportLineVectors.Check(record, ref detail);
            case VectorSuite.RuntimePrimitives:
                return RuntimePrimitiveVectors.Check(record, ref detail);
            default:
                detail.Write("unknown suite "u8);
                TextFormat.Decimal(ref detail, (ulong)record.Suite);
                return false;
        }
    }
}

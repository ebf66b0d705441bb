using System;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Report;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// <see cref="VectorSuite.ReportLines"/>: one formatter, named by <c>function</c>, on the record's
/// arguments; what it writes must equal <c>expected</c> byte for byte. The formatters:
/// <list type="table">
/// <item><c>text.hex</c>, <c>text.decimal</c>, <c>text.signed</c>, <c>text.size</c> (argument 0),
/// <c>text.range</c> (start, size): TextFormat.</item>
/// <item><c>report.write</c> (key, text), <c>report.hex</c>, <c>report.decimal</c> (key, argument 0),
/// <c>report.range</c> (key, start, size): ReportLine.</item>
/// <item><c>report.ext</c>: ExtendedRegionReport.Lines, and <c>report.ext.progress</c>: its
/// summary line (ExtendedRegionReport.Progress), over the record's extended-region inputs
/// (<see cref="RegionInputs"/>).</item>
/// <item><c>dtb.error</c> (error, offset): DtbErrorText.Write, the one wording of a refused DTB.</item>
/// </list>
/// </summary>
public static class ReportLineVectors
{
    public static bool Check<TSink>(in VectorRecord record, ref TSink detail) where TSink : struct, ITextSink
    {
        if (!record.TryGetBytes(VectorTag.Function, out ReadOnlySpan<byte> function))
            return FieldText.Missing(ref detail, VectorTag.Function);
        if (!record.TryGetBytes(VectorTag.Expected, out ReadOnlySpan<byte> expected))
            return FieldText.Missing(ref detail, VectorTag.Expected);
        record.TryGetBytes(VectorTag.Key, out ReadOnlySpan<byte> key);
        record.TryGetU64(VectorTag.Argument, 0, out ulong a0);
        record.TryGetU64(VectorTag.Argument, 1, out ulong a1);
        int arguments = record.Count(VectorTag.Argument);
        PhysicalRange.TryCreate(a0, a1, out PhysicalRange range);

        TextBuffer text = default;
        if (function.SequenceEqual("report.ext"u8) || function.SequenceEqual("report.ext.progress"u8))
        {
            if (!RegionInputs.TryRegister(record, out ExtendedRegionSet set, ref detail))
                return false;
            if (function.SequenceEqual("report.ext"u8))
                ExtendedRegionReport.Lines(ref text, set);
            else
                ExtendedRegionReport.Progress(ref text, set);
            return TextComparison.Check(expected, ref text, ref detail);
        }
        if (function.SequenceEqual("report.write"u8))
        {
            if (!record.TryGetBytes(VectorTag.Text, out ReadOnlySpan<byte> value))
                return FieldText.Missing(ref detail, VectorTag.Text);
            ReportLine.Write(ref text, key, value);
            return TextComparison.Check(expected, ref text, ref detail);
        }

        int needed = Arguments(function);
        if (needed < 0)
        {
            detail.Write("unknown function "u8);
            detail.Write(function);
            return false;
        }
        if (arguments != needed)
            return FieldText.OutOfRange(ref detail, VectorTag.Argument, (ulong)arguments);
        if (function.SequenceEqual("text.hex"u8))
            TextFormat.Hex(ref text, a0);
        else if (function.SequenceEqual("text.decimal"u8))
            TextFormat.Decimal(ref text, a0);
        else if (function.SequenceEqual("text.signed"u8))
            TextFormat.SignedDecimal(ref text, (long)a0);
        else if (function.SequenceEqual("text.size"u8))
            TextFormat.Size(ref text, a0);
        else if (function.SequenceEqual("text.range"u8))
            TextFormat.Range(ref text, range);
        else if (function.SequenceEqual("report.hex"u8))
            ReportLine.Hex(ref text, key, a0);
        else if (function.SequenceEqual("report.decimal"u8))
            ReportLine.Decimal(ref text, key, a0);
        else if (function.SequenceEqual("report.range"u8))
            ReportLine.Range(ref text, key, range);
        else
            DtbErrorText.Write(ref text, DtbStatus.Fail((DtbError)a0, (int)a1));
        return TextComparison.Check(expected, ref text, ref detail);
    }

    /// <summary>How many arguments a numeric formatter takes; -1 for an unknown name.</summary>
    private static int Arguments(ReadOnlySpan<byte> function)
    {
        if (function.SequenceEqual("text.hex"u8) || function.SequenceEqual("text.decimal"u8) ||
            function.SequenceEqual("text.signed"u8) || function.SequenceEqual("text.size"u8) ||
            function.SequenceEqual("report.hex"u8) || function.SequenceEqual("report.decimal"u8))
            return 1;
        if (function.SequenceEqual("text.range"u8) || function.SequenceEqual("report.range"u8) ||
            function.SequenceEqual("dtb.error"u8))
            return 2;
        return -1;
    }
}

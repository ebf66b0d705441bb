using System;
using System.Text;
using GuestStub.Text;

namespace GuestStub.Tests.ExtendedRegions;

/// <summary>Collects report text on the host.</summary>
public struct ReportSink : ITextSink
{
    private StringBuilder? _text;

    public void Write(ReadOnlySpan<byte> text) => (_text ??= new StringBuilder()).Append(Encoding.ASCII.GetString(text));

    public override string ToString() => _text?.ToString() ?? "";
}

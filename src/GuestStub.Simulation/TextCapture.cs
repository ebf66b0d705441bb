using System;
using System.Text;
using GuestStub.Text;

namespace GuestStub.Simulation;

/// <summary>A host text sink: collects what Core writes (ASCII) in a StringBuilder.</summary>
public readonly struct TextCapture : ITextSink
{
    private readonly StringBuilder _text;

    public TextCapture(StringBuilder text) => _text = text;

    public void Write(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
            _text.Append((char)b);
    }

    public override string ToString() => _text.ToString();
}

using System;

namespace GuestStub.Text;

/// <summary>
/// Where text goes: the Xen console or a PL011 in the guest, a buffer on the host. Implemented by
/// structs and used as a generic constraint, so guest calls are direct (no boxing, no allocation).
/// Text is ASCII bytes; a line ends with '\n'.
/// </summary>
public interface ITextSink
{
    void Write(ReadOnlySpan<byte> text);
}

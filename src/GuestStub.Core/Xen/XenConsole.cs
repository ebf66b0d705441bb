using System;

namespace GuestStub.Xen;

/// <summary>
/// Xen's emergency console as a text sink: console_io(CONSOLEIO_write, count, buffer). Works for
/// dom0 and for dom0less domUs (guest_loglvl permitting). Xen may take fewer bytes than asked;
/// the rest is retried, and a refusal drops the text (there is no other console to complain on).
/// </summary>
public unsafe struct XenConsole<THc> : GuestStub.Text.ITextSink where THc : struct, IXenHypercalls
{
    private THc _hc;

    public XenConsole(THc hc) => _hc = hc;

    public void Write(ReadOnlySpan<byte> text)
    {
        fixed (byte* p = text)
        {
            int done = 0;
            while (done < text.Length)
            {
                long written = _hc.Hypercall(HypercallNumber.ConsoleIo, ConsoleIoOp.Write, (ulong)(text.Length - done), (ulong)(p + done), 0, 0);
                if (written <= 0)
                    return;
                done += (int)written;
            }
        }
    }
}

using System;
using System.IO;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// The file's bytes as LibObjectFile reads them, through a stream that cannot make it fail for the
/// wrong reason and that remembers where the last read began, so that a failure can be located.
/// Any position is accepted (LibObjectFile seeks to an offset cast to <c>long</c>: past 2^63 it is
/// negative, and <see cref="MemoryStream"/> would throw). When <see cref="ZerosPastEnd"/> is set,
/// reads past the end see zeros, up to a bound: tables that run past the end then decode as empty
/// entries instead of whatever a pooled buffer held, and a table the header claims to be billions
/// of entries long stops at <see cref="PastEndLimit"/> bytes instead of looping.
/// </summary>
internal sealed class ElfInputView : Stream
{
    /// <summary>Zeros served past the end before a read fails: more than any 16-bit count of 64-byte entries.</summary>
    public const long PastEndLimit = 8L << 20;

    private readonly byte[] _bytes;
    private long _position;
    private long _zerosServed;

    public ElfInputView(byte[] bytes, bool zerosPastEnd)
    {
        _bytes = bytes;
        ZerosPastEnd = zerosPastEnd;
    }

    public bool ZerosPastEnd { get; }

    /// <summary>Where the last read began, as the unsigned file offset LibObjectFile meant.</summary>
    public ulong LastReadOffset { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _bytes.Length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        LastReadOffset = unchecked((ulong)_position);
        int copied = 0;
        if (_position >= 0 && _position < _bytes.Length)
        {
            copied = (int)Math.Min(buffer.Length, _bytes.Length - _position);
            _bytes.AsSpan((int)_position, copied).CopyTo(buffer);
        }
        if (!ZerosPastEnd || copied == buffer.Length)
        {
            _position += copied;
            return copied;
        }
        int zeros = buffer.Length - copied;
        _zerosServed += zeros;
        if (_zerosServed > PastEndLimit)
            throw new EndOfStreamException($"more than {PastEndLimit} bytes read past the end of the file");
        buffer[copied..].Clear();
        _position = unchecked(_position + buffer.Length);
        return buffer.Length;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => unchecked(_position + offset),
            _ => unchecked(_bytes.Length + offset),
        };
        return _position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

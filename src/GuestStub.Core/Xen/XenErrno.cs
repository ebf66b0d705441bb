using System;
using GuestStub.Text;

namespace GuestStub.Xen;

/// <summary>
/// Xen's errno values (xen/include/public/errno.h; the same numbers as Linux on Arm). Hypercalls
/// return them negated.
/// </summary>
public enum XenErrno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    E2BIG = 7,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    EXDEV = 18,
    ENODEV = 19,
    EINVAL = 22,
    ENOSPC = 28,
    ERANGE = 34,
    ENOSYS = 38,
    EOPNOTSUPP = 95,
}

/// <summary>Names of <see cref="XenErrno"/> values for reports ("-EBUSY").</summary>
public static class XenErrnoText
{
    private static ReadOnlySpan<byte> Numbers => new byte[] { 1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 16, 17, 18, 19, 22, 28, 34, 38, 95 };

    // Names in the order of Numbers.
    private static ReadOnlySpan<byte> Names =>
        "EPERM\0"u8 +
        "ENOENT\0"u8 +
        "ESRCH\0"u8 +
        "EINTR\0"u8 +
        "EIO\0"u8 +
        "ENXIO\0"u8 +
        "E2BIG\0"u8 +
        "EAGAIN\0"u8 +
        "ENOMEM\0"u8 +
        "EACCES\0"u8 +
        "EFAULT\0"u8 +
        "EBUSY\0"u8 +
        "EEXIST\0"u8 +
        "EXDEV\0"u8 +
        "ENODEV\0"u8 +
        "EINVAL\0"u8 +
        "ENOSPC\0"u8 +
        "ERANGE\0"u8 +
        "ENOSYS\0"u8 +
        "EOPNOTSUPP\0"u8;

    /// <summary>The name without sign, or empty for a value not in the table.</summary>
    public static ReadOnlySpan<byte> Name(long errno) => NameTable.Lookup(Numbers, Names, errno);
}

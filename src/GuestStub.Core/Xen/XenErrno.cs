using System;

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
    /// <summary>The name without sign, or empty for a value not in the table.</summary>
    public static ReadOnlySpan<byte> Name(long errno) => errno switch
    {
        1 => "EPERM"u8,
        2 => "ENOENT"u8,
        3 => "ESRCH"u8,
        4 => "EINTR"u8,
        5 => "EIO"u8,
        6 => "ENXIO"u8,
        7 => "E2BIG"u8,
        11 => "EAGAIN"u8,
        12 => "ENOMEM"u8,
        13 => "EACCES"u8,
        14 => "EFAULT"u8,
        16 => "EBUSY"u8,
        17 => "EEXIST"u8,
        18 => "EXDEV"u8,
        19 => "ENODEV"u8,
        22 => "EINVAL"u8,
        28 => "ENOSPC"u8,
        34 => "ERANGE"u8,
        38 => "ENOSYS"u8,
        95 => "EOPNOTSUPP"u8,
        _ => default,
    };
}

using System;

namespace GuestStub.Xen;

/// <summary>GNTST_* per-operation status codes of grant_table_op (grant_table.h).</summary>
public static class GrantStatus
{
    public const short Okay = 0;
    public const short GeneralError = -1;
    public const short BadDomain = -2;
    public const short BadGntref = -3;
    public const short BadHandle = -4;
    public const short BadVirtAddr = -5;
    public const short BadDevAddr = -6;
    public const short NoDeviceSpace = -7;
    public const short PermissionDenied = -8;
    public const short BadPage = -9;
    public const short BadCopyArg = -10;
    public const short AddressTooBig = -11;
    public const short Eagain = -12;
    public const short NoSpace = -13;

    public static ReadOnlySpan<byte> Name(long status) => status switch
    {
        0 => "GNTST_okay"u8,
        -1 => "GNTST_general_error"u8,
        -2 => "GNTST_bad_domain"u8,
        -3 => "GNTST_bad_gntref"u8,
        -4 => "GNTST_bad_handle"u8,
        -5 => "GNTST_bad_virt_addr"u8,
        -6 => "GNTST_bad_dev_addr"u8,
        -7 => "GNTST_no_device_space"u8,
        -8 => "GNTST_permission_denied"u8,
        -9 => "GNTST_bad_page"u8,
        -10 => "GNTST_bad_copy_arg"u8,
        -11 => "GNTST_address_too_big"u8,
        -12 => "GNTST_eagain"u8,
        -13 => "GNTST_no_space"u8,
        _ => "GNTST_unknown"u8,
    };
}

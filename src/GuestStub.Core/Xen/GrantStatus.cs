using System;
using GuestStub.Text;

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

    // Indexed by -status: GNTST_okay (0) first, then -1, -2, ...
    private static ReadOnlySpan<byte> Names =>
        "GNTST_okay\0"u8 +
        "GNTST_general_error\0"u8 +
        "GNTST_bad_domain\0"u8 +
        "GNTST_bad_gntref\0"u8 +
        "GNTST_bad_handle\0"u8 +
        "GNTST_bad_virt_addr\0"u8 +
        "GNTST_bad_dev_addr\0"u8 +
        "GNTST_no_device_space\0"u8 +
        "GNTST_permission_denied\0"u8 +
        "GNTST_bad_page\0"u8 +
        "GNTST_bad_copy_arg\0"u8 +
        "GNTST_address_too_big\0"u8 +
        "GNTST_eagain\0"u8 +
        "GNTST_no_space\0"u8;

    public static ReadOnlySpan<byte> Name(long status)
    {
        ReadOnlySpan<byte> name = NameTable.Get(Names, -status);
        return name.IsEmpty ? "GNTST_unknown"u8 : name;
    }
}

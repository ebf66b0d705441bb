using System;
using System.Buffers.Binary;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.Platform;

/// <summary>
/// The front end every boot goes through, in the guest (the blob at x0), in the simulation and
/// in the host tool (a file): the header first (<see cref="CheckHeader"/>: the magic is judged
/// before anything else is trusted, and totalsize is capped before the rest of the blob is
/// touched), then the whole blob validated (<see cref="Dtb.Open"/>), the boot facts read
/// (<see cref="BootFacts.Read"/>) and the stub's boot arguments parsed, once
/// (<see cref="BootOptions.Parse"/>). Nothing outside Core opens or validates a DTB itself.
/// </summary>
public readonly ref struct BootDtb
{
    /// <summary>A larger totalsize is refused before the blob is read. Linux's MAX_FDT_SIZE is
    /// 2 MiB, but QEMU pads a -dtb blob past that (2117152 bytes seen for virt), so allow 8 MiB.</summary>
    public const int MaxTotalSize = 8 * 1024 * 1024;

    public readonly Dtb Tree;
    public readonly BootFacts Facts;
    public readonly BootOptions Options;

    /// <summary>Where the blob lies in guest-physical memory; empty when the caller did not
    /// place it (a file on the host).</summary>
    public readonly PhysicalRange Range;

    /// <summary>Where the stub's image lies; empty when not placed.</summary>
    public readonly PhysicalRange Image;

    private BootDtb(Dtb tree, BootFacts facts, BootOptions options, PhysicalRange range, PhysicalRange image)
    {
        Tree = tree;
        Facts = facts;
        Options = options;
        Range = range;
        Image = image;
    }

    /// <summary>The boot environment of this tree for a given addressable range.</summary>
    public BootEnvironment Environment(PhysicalRange addressable) => new BootEnvironment(Range, Image, addressable);

    /// <summary>
    /// Judges the header alone and returns the blob's totalsize, so the caller knows how many
    /// bytes to read. <paramref name="header"/> is what is available from the start of the
    /// blob (the guest passes <see cref="FdtLayout.HeaderSize"/> bytes, the host a whole file).
    /// <paramref name="totalSize"/> is the header's value whenever the header holds one, also
    /// when it is refused (for the error message); use it only when Ok.
    /// Errors: those of the header checks of <see cref="DtbValidator.Validate"/> (BadMagic,
    /// SwappedMagic, BadVersion, Truncated) and BadTotalSize (offset 4) for a totalsize smaller
    /// than the header or larger than <see cref="MaxTotalSize"/>.
    /// </summary>
    public static DtbStatus CheckHeader(ReadOnlySpan<byte> header, out uint totalSize)
    {
        totalSize = 0;
        if (header.Length > FdtLayout.HeaderSize)
            header = header.Slice(0, FdtLayout.HeaderSize);
        if (header.Length < FdtLayout.TotalSizeOffset + 4)
            return DtbValidator.Validate(header, out _);
        totalSize = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(FdtLayout.TotalSizeOffset));
        if (totalSize >= FdtLayout.HeaderSize && totalSize <= MaxTotalSize)
            return DtbStatus.Ok;
        // An implausible size: report a bad magic or version as such first.
        DtbStatus status = DtbValidator.Validate(header, out _);
        return status.IsOk || status.Error == DtbError.Truncated
            ? DtbStatus.Fail(DtbError.BadTotalSize, FdtLayout.TotalSizeOffset)
            : status;
    }

    /// <summary>
    /// Validates the whole of <paramref name="blob"/> (after <see cref="CheckHeader"/>), reads
    /// the boot facts and parses the boot arguments. <paramref name="placement"/> says where the
    /// blob and the image lie (both become reserved ranges) and may replace /chosen bootargs.
    /// Errors: those of <see cref="CheckHeader"/>, <see cref="Dtb.Open"/> and
    /// <see cref="BootFacts.Read"/>; AddressOverflow (offset 4) when the blob placed at its load
    /// address would pass 2^64.
    /// </summary>
    public static DtbStatus Open(ReadOnlySpan<byte> blob, scoped in DtbPlacement placement, out BootDtb dtb)
    {
        dtb = default;
        DtbStatus status = CheckHeader(blob, out uint totalSize);
        if (!status.IsOk)
            return status;
        status = Dtb.Open(blob, out Dtb tree);
        if (!status.IsOk)
            return status;
        PhysicalRange range = default;
        if (placement.HasLoadAddress && !PhysicalRange.TryCreate(placement.LoadAddress, (ulong)totalSize, out range))
            return DtbStatus.Fail(DtbError.AddressOverflow, FdtLayout.TotalSizeOffset);
        status = BootFacts.Read(tree, range, placement.Image, out BootFacts facts);
        if (!status.IsOk)
            return status;
        if (placement.HasBootargs)
        {
            facts.HasBootargs = true;
            facts.Bootargs = placement.Bootargs;
        }
        BootOptions options = BootOptions.Parse(new BootArguments(facts.HasBootargs ? facts.Bootargs : default));
        dtb = new BootDtb(tree, facts, options, range, placement.Image);
        return DtbStatus.Ok;
    }
}

/// <summary>
/// Where the caller found the DTB and the stub's image, and bootargs that replace /chosen's
/// (the host tool's --bootargs). Everything is optional: the default places nothing.
/// </summary>
public readonly ref struct DtbPlacement
{
    public readonly bool HasLoadAddress;
    public readonly ulong LoadAddress;
    public readonly PhysicalRange Image;
    public readonly bool HasBootargs;
    public readonly ReadOnlySpan<byte> Bootargs;

    public DtbPlacement(bool hasLoadAddress, ulong loadAddress, PhysicalRange image, bool hasBootargs, ReadOnlySpan<byte> bootargs)
    {
        HasLoadAddress = hasLoadAddress;
        LoadAddress = loadAddress;
        Image = image;
        HasBootargs = hasBootargs;
        Bootargs = bootargs;
    }

    /// <summary>The guest's placement: the blob at <paramref name="loadAddress"/>, the image at
    /// <paramref name="image"/>, /chosen bootargs as they are.</summary>
    public static DtbPlacement InGuest(ulong loadAddress, PhysicalRange image) =>
        new DtbPlacement(true, loadAddress, image, false, default);
}

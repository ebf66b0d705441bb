using System;
using GuestStub.DeviceTree;

namespace GuestStub.Platform;

/// <summary>
/// The boot console named by /chosen stdout-path (spec 3.6): "path[:options]", where the path
/// may start with an alias ("serial0:115200n8"); without stdout-path, the first PL011 or SBSA
/// UART of the tree (<see cref="HasPath"/> false, <see cref="Found"/> true).
/// </summary>
public ref struct ConsoleFacts
{
    /// <summary>stdout-path (or the older linux,stdout-path) is present.</summary>
    public bool HasPath;

    /// <summary>The path part, before any ':'.</summary>
    public ReadOnlySpan<byte> Path;

    /// <summary>The options after ':' (e.g. "115200n8"); empty when none.</summary>
    public ReadOnlySpan<byte> Options;

    /// <summary>The path resolved to a node.</summary>
    public bool Found;
    public DtNode Node;

    /// <summary>The first string of the node's compatible (e.g. "arm,pl011"); empty if none.</summary>
    public ReadOnlySpan<byte> Compatible;

    /// <summary>The node is a UART the stub can drive: an Arm PL011 or an SBSA generic UART
    /// (whose data and flag registers are the PL011's, which is all the stub uses).</summary>
    public readonly bool IsPl011Compatible =>
        Compatible.SequenceEqual("arm,pl011"u8) || Compatible.SequenceEqual("arm,sbsa-uart"u8);

    /// <summary>The address of the node's first reg entry, decoded with its parent's cells.</summary>
    public bool HasBaseAddress;
    public ulong BaseAddress;
}

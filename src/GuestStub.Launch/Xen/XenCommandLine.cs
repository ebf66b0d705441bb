using System.Collections.Generic;
using GuestStub.Launch.Machine;

namespace GuestStub.Launch.Xen;

/// <summary>
/// Xen's command line, built here and nowhere else: QEMU's <c>-append</c> when the dom0 comes
/// through the guest-loader, <c>/chosen/xen,xen-bootargs</c> in a dom0less host tree. Each
/// argument is a property with the reason it is there; <see cref="Extra"/> (<c>--xen-append</c>)
/// comes last, so it can override any of them.
/// </summary>
public sealed record XenCommandLine
{
    /// <summary><c>dom0_mem=</c>: dom0's RAM. Without it Xen gives dom0 whatever is left.</summary>
    public MemorySize Dom0Memory { get; init; } = MemorySize.Mebibytes(128);

    /// <summary><c>console=dtuart dtuart=</c>: Xen's console on the UART the host tree names,
    /// QEMU virt's PL011 (its serial console, what QEMU's stdout shows).</summary>
    public string ConsoleUart { get; init; } = "/pl011@9000000";

    /// <summary><c>loglvl=</c>: Xen's own messages at every level, for the logs the tests read
    /// (extended regions, grant table range, "Loading d0 DTB").</summary>
    public string LogLevel { get; init; } = "all";

    /// <summary>
    /// <c>guest_loglvl=</c>, or null to leave Xen's default. On a release (non-debug) Xen the
    /// default drops a domU's HVC console output (<c>CONSOLEIO_write</c>: "Guest Loglevel:
    /// Nothing (Rate-limited: Errors and warnings)"), and with it every line of a dom0less domU
    /// on hvc0; <c>all</c> prints them. A vpl011 domU's output is printed at any level. Xen's
    /// own CI passes none (issue 21 revisits this).
    /// </summary>
    public string? GuestLogLevel { get; init; } = "all";

    /// <summary>
    /// <c>serial_tx_buffer=</c>: Xen drops console characters while its transmit buffer (16 KiB by
    /// default) is full (drivers/char/serial.c, tx_quench), and a boot with domUs prints more than
    /// that in a burst: lines went missing from the console now and then.
    /// </summary>
    public string SerialTransmitBuffer { get; init; } = "256K";

    /// <summary><c>console_timestamps=</c> (<c>boot</c>, <c>date</c>...), or null for none, Xen's
    /// default. The console reader strips them.</summary>
    public string? ConsoleTimestamps { get; init; }

    /// <summary>More arguments, as one string (<c>--xen-append</c>), after the rest.</summary>
    public string Extra { get; init; } = "";

    /// <summary>
    /// A command line given whole, used exactly as it is instead of the project's (an
    /// ImageBuilder config's <c>XEN_CMD</c>, Xen's CI's <c>console=dtuart dom0_mem=512M
    /// console_timestamps=boot</c>), or null. The other properties then say nothing.
    /// </summary>
    public string? Given { get; init; }

    /// <summary>Exactly <paramref name="commandLine"/>, nothing added.</summary>
    public static XenCommandLine Exactly(string commandLine) => new() { Given = commandLine.Trim() };

    /// <summary>The arguments, in order.</summary>
    public IReadOnlyList<string> Arguments
    {
        get
        {
            if (Given is not null)
                return Given.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
            var args = new List<string>
            {
                $"dom0_mem={Dom0Memory}",
                "console=dtuart",
                $"dtuart={ConsoleUart}",
                $"loglvl={LogLevel}",
            };
            if (GuestLogLevel is not null)
                args.Add($"guest_loglvl={GuestLogLevel}");
            args.Add($"serial_tx_buffer={SerialTransmitBuffer}");
            if (ConsoleTimestamps is not null)
                args.Add($"console_timestamps={ConsoleTimestamps}");
            if (Extra.Trim().Length > 0)
                args.Add(Extra.Trim());
            return args;
        }
    }

    public override string ToString() => string.Join(' ', Arguments);
}

using System;
using System.Text;
using GuestStub.Boot;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Text;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// The whole boot pipeline (front end, Xen setup, extended regions, scratch pool, self-tests,
/// teardown, report) allocates nothing on the heap: in the guest there is no GC, so an
/// allocation there is memory lost for good. Measured with the thread's allocation counter
/// minus what the simulated Xen itself allocates while it answers
/// (<see cref="SimulatedXen.ModelAllocatedBytes"/>), after a warm-up run (JIT, statics, the
/// model's first touch of its frames); the last test shows the measurement sees an allocation.
/// </summary>
public class PipelineAllocationTests
{
    /// <summary>A sink into a buffer allocated up front.</summary>
    private struct BufferSink : ITextSink
    {
        private readonly byte[] _buffer;
        private int _length;

        public BufferSink(byte[] buffer) => _buffer = buffer;

        public void Write(ReadOnlySpan<byte> text)
        {
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
        }

        public override string ToString() => Encoding.ASCII.GetString(_buffer, 0, _length);
    }

    /// <summary>A sink that allocates on every write, to show the measurement can fail.</summary>
    private struct AllocatingSink : ITextSink
    {
        public void Write(ReadOnlySpan<byte> text) => GC.KeepAlive(text.ToArray());
    }

    public static TheoryData<bool, string?> Boots => new()
    {
        { false, null },
        { false, "gnttab=ballooned gueststub.scratch=ballooned" },
        { true, "gueststub.domid=1" },
        { true, "gueststub.domid=1 gnttab=ballooned" },
    };

    [Theory]
    [MemberData(nameof(Boots))]
    public void The_whole_pipeline_allocates_nothing(bool domU, string? bootargs)
    {
        (long core, string output) = Measure(domU, bootargs, new BufferSink(new byte[1 << 16]));
        // A domU alone: the frontend's wait for dom0 runs out (both sides together: the test below).
        Assert.Contains("report status ok", output); // a domU alone: no dom0 to publish to, skipped (not an error)
        Assert.Equal(0, core);
    }

    /// <summary>
    /// Both sides of the cross-domain stage, each measured on its own domain's thread while the
    /// other side runs the stub beside it: dom0 serving a domU (grant maps, event channel, foreign
    /// map, acquire_resource, error paths), a domU publishing, waiting and ending access.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Both_sides_of_the_cross_domain_stage_allocate_nothing(bool measureDomU, bool staticChannels)
    {
        MeasureOnMachine(measureDomU, staticChannels); // warm-up
        (long core, string output) = MeasureOnMachine(measureDomU, staticChannels);
        Assert.Contains("report status ok", output);
        Assert.Contains(measureDomU ? "report frontend.end-access ok" : "report peer.1.acquire-grant-table ok", output);
        Assert.Equal(0, core);
    }

    private static unsafe (long CoreBytes, string Output) MeasureOnMachine(bool measureDomU, bool staticChannels)
    {
        using var machine = new SimulatedMachine(new SimulatedMachineOptions
        {
            StaticEventChannels = staticChannels ? new[] { StaticEventChannel.Dom0ToDomU(1) } : Array.Empty<StaticEventChannel>(),
        });
        byte[] dom0Dtb = Guests.Dom0();
        byte[] domUDtb = Guests.DomU(null);
        SimulatedXen dom0 = machine.Add(SimulatedBoot.CreateModel(dom0Dtb, ram => SimulatedXenOptions.ForDom0(ram)));
        SimulatedXen domU = machine.Add(SimulatedBoot.CreateModel(domUDtb, ram => SimulatedXenOptions.ForDomU(ram, 1)));
        SimulatedXen measured = measureDomU ? domU : dom0;
        byte[] measuredDtb = measureDomU ? domUDtb : dom0Dtb;
        long core = -1;
        string output = "";
        SimulatedDomainRun Measured() => SimulatedDomainRun.Custom(measured, () =>
        {
            var report = new BootReport<BufferSink>(new BufferSink(new byte[1 << 16]));
            var placement = new DtbPlacement(false, 0, default, false, default);
            long model = measured.ModelAllocatedBytes;
            long before = GC.GetAllocatedBytesForCurrentThread();
            DtbStatus status = BootDtb.Open(measuredDtb, placement, out BootDtb boot);
            var platform = new SimulatedGuestPlatform(measured);
            BootSession.Run(ref platform, ref report, boot, AddressableRange.BelowLimit(AddressableRange.StubMappingLimit), out _);
            long total = GC.GetAllocatedBytesForCurrentThread() - before;
            core = total - (measured.ModelAllocatedBytes - model);
            Assert.True(status.IsOk);
            output = report.Sink.ToString();
            SchedOp.PowerOff(ref platform); // as the guest does, so dom0 need not wait for this domU
        });
        machine.Run(measureDomU
            ? new[] { SimulatedDomainRun.Stub(dom0, dom0Dtb), Measured() }
            : new[] { Measured(), SimulatedDomainRun.Stub(domU, domUDtb) });
        return (core, output);
    }

    [Fact]
    public void An_allocation_in_the_pipeline_is_seen()
    {
        (long core, _) = Measure(false, null, new AllocatingSink());
        Assert.True(core > 0, "a sink that allocates on every write went unnoticed");
    }

    private static (long CoreBytes, string Output) Measure<TSink>(bool domU, string? bootargs, TSink sink) where TSink : struct, ITextSink
    {
        byte[] dtb = domU ? Guests.DomU(bootargs) : Guests.Dom0(bootargs);
        using SimulatedXen xen = SimulatedBoot.CreateModel(dtb, ram => domU ? SimulatedXenOptions.ForDomU(ram) : SimulatedXenOptions.ForDom0(ram));
        var placement = new DtbPlacement(true, 0x4fe0_0000, default, false, default);
        var report = new BootReport<TSink>(sink);
        Run(xen, dtb, placement, ref report); // warm-up

        report = new BootReport<TSink>(sink);
        long model = xen.ModelAllocatedBytes;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(xen, dtb, placement, ref report);
        long total = GC.GetAllocatedBytesForCurrentThread() - before;
        long core = total - (xen.ModelAllocatedBytes - model);
        return (core, report.Sink.ToString() ?? "");
    }

    private static void Run<TSink>(SimulatedXen xen, byte[] dtb, in DtbPlacement placement, ref BootReport<TSink> report)
        where TSink : struct, ITextSink
    {
        DtbStatus status = BootDtb.Open(dtb, placement, out BootDtb boot);
        Assert.True(status.IsOk);
        var platform = new SimulatedGuestPlatform(xen);
        BootPipeline.Run(ref platform, ref report, boot, AddressableRange.BelowLimit(AddressableRange.StubMappingLimit), true, out _);
    }
}

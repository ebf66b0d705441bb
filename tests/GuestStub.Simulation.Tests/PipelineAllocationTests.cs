using System;
using System.Text;
using GuestStub.Boot;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Text;
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
        // A domU alone: the frontend's wait for dom0 runs out (MultiDomainAllocationTests measure both sides together).
        Assert.Contains(domU ? "report status error " + Guests.LoneFrontendTimeout() : "report status ok", output);
        Assert.Equal(0, core);
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

    private static unsafe void Run<TSink>(SimulatedXen xen, byte[] dtb, in DtbPlacement placement, ref BootReport<TSink> report)
        where TSink : struct, ITextSink
    {
        DtbStatus status = BootDtb.Open(dtb, placement, out BootDtb boot);
        Assert.True(status.IsOk);
        var hypercalls = new SimulatedHypercalls(xen);
        var memory = new SimulatedMemory(xen);
        var interrupts = new SimulatedInterrupts(xen, xen.GuestEvents);
        var clock = new MachineTicks(xen.Clock);
        BootPipeline.Run(ref hypercalls, ref memory, ref interrupts, ref clock, ref *xen.GuestEvents, ref report, boot,
            AddressableRange.BelowLimit(AddressableRange.StubMappingLimit), true, out _);
    }
}

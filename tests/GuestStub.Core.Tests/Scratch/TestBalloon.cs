using System.Collections.Generic;
using GuestStub.Scratch;
using GuestStub.Xen;

namespace GuestStub.Tests.Scratch;

/// <summary>
/// A balloon double: hands out RAM pages from a fixed range, at most <see cref="State.Limit"/>
/// at a time, and knows which it handed out (as Linux's balloon list does), so it can refuse
/// foreign pages and second returns. The state is a class so copies of the struct share it.
/// </summary>
public struct TestBalloon : IBalloonSource
{
    public sealed class State
    {
        public ulong NextAddress = 0x40000000;
        public int Limit = int.MaxValue;
        public readonly HashSet<ulong> Taken = new();
        public readonly HashSet<ulong> Returned = new();
        public readonly Stack<ulong> Repopulated = new();
    }

    public State S;

    public static TestBalloon Create(int limit = int.MaxValue) => new() { S = new State { Limit = limit } };

    public readonly int PagesOut => S.Taken.Count;

    public readonly XenFailure LastFailure => XenFailure.None;

    public ScratchStatus TakePage(out ulong address)
    {
        address = 0;
        if (S.Taken.Count >= S.Limit)
            return ScratchStatus.BalloonEmpty;
        // Reuse a repopulated frame first, as a balloon would take any RAM page.
        address = S.Repopulated.Count > 0 ? S.Repopulated.Pop() : (S.NextAddress += 0x1000) - 0x1000;
        S.Returned.Remove(address);
        S.Taken.Add(address);
        return ScratchStatus.Ok;
    }

    public ScratchStatus ReturnPage(ulong address)
    {
        if (S.Returned.Contains(address))
            return ScratchStatus.DoubleFree;
        if (!S.Taken.Remove(address))
            return ScratchStatus.NotScratchPage;
        S.Returned.Add(address);
        S.Repopulated.Push(address);
        return ScratchStatus.Ok;
    }
}

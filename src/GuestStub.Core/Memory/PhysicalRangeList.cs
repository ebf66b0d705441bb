using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GuestStub.Memory;

/// <summary>
/// Up to <see cref="Capacity"/> physical ranges in a value, with no heap: the guest has no
/// allocator when it reads its boot facts. Storage is 32 consecutive fields addressed with
/// Unsafe.Add from the first (sequential layout of an unmanaged struct, so they are contiguous);
/// every index is checked against <see cref="Count"/> first. Order is insertion order.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct PhysicalRangeList
{
    public const int Capacity = 32;

    private int _count;
    private PhysicalRange _r00;
    private PhysicalRange _r01;
    private PhysicalRange _r02;
    private PhysicalRange _r03;
    private PhysicalRange _r04;
    private PhysicalRange _r05;
    private PhysicalRange _r06;
    private PhysicalRange _r07;
    private PhysicalRange _r08;
    private PhysicalRange _r09;
    private PhysicalRange _r10;
    private PhysicalRange _r11;
    private PhysicalRange _r12;
    private PhysicalRange _r13;
    private PhysicalRange _r14;
    private PhysicalRange _r15;
    private PhysicalRange _r16;
    private PhysicalRange _r17;
    private PhysicalRange _r18;
    private PhysicalRange _r19;
    private PhysicalRange _r20;
    private PhysicalRange _r21;
    private PhysicalRange _r22;
    private PhysicalRange _r23;
    private PhysicalRange _r24;
    private PhysicalRange _r25;
    private PhysicalRange _r26;
    private PhysicalRange _r27;
    private PhysicalRange _r28;
    private PhysicalRange _r29;
    private PhysicalRange _r30;
    private PhysicalRange _r31;

    public readonly int Count => _count;

    public readonly bool IsFull => _count == Capacity;

    /// <summary>Range <paramref name="index"/>, or an empty range when out of bounds.</summary>
    public readonly PhysicalRange this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                return default;
            return Unsafe.Add(ref Unsafe.AsRef(in _r00), index);
        }
    }

    /// <summary>Appends <paramref name="range"/>; false when the list is full.</summary>
    public bool TryAdd(PhysicalRange range)
    {
        if (_count == Capacity)
            return false;
        Unsafe.Add(ref _r00, _count) = range;
        _count++;
        return true;
    }

    public void Clear() => _count = 0;
}

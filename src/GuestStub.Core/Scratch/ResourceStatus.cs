namespace GuestStub.Scratch;

/// <summary>Outcome of a <see cref="ResourceAllocator"/> operation.</summary>
public enum ResourceStatus : byte
{
    Ok = 0,

    /// <summary>No free space of the size and alignment inside the range (Linux: -EBUSY).</summary>
    NoSpace,

    /// <summary>A size of 0, an alignment that is not a power of two, or a range to reserve
    /// that is empty.</summary>
    BadRequest,

    /// <summary>A range to reserve is not inside the root (Linux insert_resource: conflict).</summary>
    OutsideRoot,

    /// <summary>A range to reserve overlaps one already busy.</summary>
    Conflict,

    /// <summary>The table of busy ranges is full (<see cref="ResourceAllocator.Capacity"/>).</summary>
    TableFull,
}

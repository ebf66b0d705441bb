namespace GuestStub.Launch.ImageBuilder;

/// <summary>A <c>DOMU_SHARED_MEM</c> region: its id, where it lies in host memory (null: Xen
/// chooses, the three-word form), where the domU sees it, its size.</summary>
public sealed record ImageBuilderSharedMemory(string Id, ulong? HostAddress, ulong GuestAddress, ulong Size);

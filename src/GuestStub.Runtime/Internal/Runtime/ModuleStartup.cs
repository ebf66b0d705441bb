using System;
using System.Runtime;

namespace Internal.Runtime;

/// <summary>
/// What NativeAOT's StartupCodeHelpers does for a module, minus the GC: before any C# runs, give
/// every type with reference-type statics its static base (an object from the bump heap, with
/// ilc's pre-initialised values copied in). Without it such statics would point at garbage.
///
/// ilc describes the module in a ReadyToRun header ('RTR') that the <c>__modules</c> section
/// points to: a table of sections (id, flags, start, end). Section 201 (GCStaticRegion) is an
/// array of 32-bit relative pointers to static-base slots; each slot starts as a relative pointer
/// to the type's MethodTable with bit 0 set (uninitialised) and bit 1 set when a pre-initialised
/// data blob follows (the next 32-bit relative pointer). Layouts from dotnet/runtime
/// src/coreclr/nativeaot/Runtime/inc/ModuleHeaders.h and StartupCodeHelpers.cs.
/// </summary>
internal static unsafe class ModuleStartup
{
    private const uint ReadyToRunSignature = 0x00525452; // "RTR"
    private const int SectionGcStaticRegion = 201;
    private const nint Uninitialized = 1;
    private const nint HasPreInitializedData = 2;
    private const nint FlagMask = 3;

    private struct ReadyToRunHeader
    {
        public uint Signature;
        public ushort MajorVersion;
        public ushort MinorVersion;
        public uint Flags;
        public ushort NumberOfSections;
        public byte EntrySize;
        public byte EntryType;
    }

    private struct ModuleInfoRow
    {
        public int SectionId;
        public int Flags;
        public byte* Start;
        public byte* End;
    }

    /// <summary>void GuestStubRuntimeInitialize(void **modules_start, void **modules_end):
    /// called once by native/head.S with the bounds of the __modules section.</summary>
    [RuntimeExport("GuestStubRuntimeInitialize")]
    private static void Initialize(ReadyToRunHeader** modulesStart, ReadyToRunHeader** modulesEnd)
    {
        for (ReadyToRunHeader** module = modulesStart; module < modulesEnd; module++)
        {
            ReadyToRunHeader* header = *module;
            if (header->Signature != ReadyToRunSignature || header->EntrySize != sizeof(ModuleInfoRow))
                Environment.FailFast("ilc module header not recognised (RTR signature or entry size)");
            var rows = (ModuleInfoRow*)(header + 1);
            for (int i = 0; i < header->NumberOfSections; i++)
            {
                if (rows[i].SectionId == SectionGcStaticRegion)
                    InitializeGcStatics(rows[i].Start, rows[i].End);
            }
        }
    }

    private static void InitializeGcStatics(byte* regionStart, byte* regionEnd)
    {
        for (byte* entry = regionStart; entry < regionEnd; entry += sizeof(int))
        {
            nint* slot = (nint*)ReadRelativePointer(entry);
            nint typeAndFlags = (nint)ReadRelativePointer(slot);
            if ((typeAndFlags & Uninitialized) == 0)
                continue; // shared with another module and already done
            var type = (MethodTable*)(typeAndFlags & ~FlagMask);
            byte* obj = (byte*)BumpAllocator.Allocate(type->_uBaseSize);
            *(MethodTable**)obj = type;
            if ((typeAndFlags & HasPreInitializedData) != 0)
            {
                // The blob holds every field after the MethodTable pointer, pre-initialised
                // references to frozen objects included.
                byte* data = (byte*)ReadRelativePointer((int*)slot + 1);
                nuint dataSize = type->_uBaseSize - (nuint)(2 * sizeof(nint));
                for (nuint i = 0; i < dataSize; i++)
                    obj[(nuint)sizeof(nint) + i] = data[i];
            }
            *slot = (nint)obj;
        }
    }

    private static void* ReadRelativePointer(void* address) => (byte*)address + *(int*)address;
}

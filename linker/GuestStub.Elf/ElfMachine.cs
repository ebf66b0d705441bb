namespace GuestStub.Elf;

/// <summary>e_machine, for the architectures this project meets. Other values are kept as they are.</summary>
public enum ElfMachine : ushort
{
    None = 0,
    Sparc = 2,
    I386 = 3,
    Mips = 8,
    PowerPC = 20,
    PowerPC64 = 21,
    S390 = 22,
    Arm = 40,
    SparcV9 = 43,
    X86_64 = 62,
    AArch64 = 183,
    RiscV = 243,
}

namespace GuestStub.Elf;

/// <summary>n_type values of the notes this project writes or names (owner "GNU" unless said).</summary>
public static class ElfNoteType
{
    public const string GnuOwner = "GNU";
    public const uint GnuAbiTag = 1;
    public const uint GnuHwcap = 2;
    /// <summary>NT_GNU_BUILD_ID: the descriptor is the build id (e.g. a SHA-1 or truncated SHA-256).</summary>
    public const uint GnuBuildId = 3;
    public const uint GnuGoldVersion = 4;
    public const uint GnuPropertyType0 = 5;
}

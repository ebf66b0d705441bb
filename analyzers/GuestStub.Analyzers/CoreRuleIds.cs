namespace GuestStub.Analyzers;

/// <summary>
/// The diagnostic IDs of Core's rules. An ID is never reused or renumbered: build logs, the
/// table in src/GuestStub.Core/README.md and any suppression name a rule by it.
/// </summary>
public static class CoreRuleIds
{
    public const string HeapAllocation = "GSC001";
    public const string Throw = "GSC002";
    public const string Boxing = "GSC003";
    public const string Delegate = "GSC004";
    public const string TryStatement = "GSC005";
    public const string ForEach = "GSC006";
    public const string Linq = "GSC007";
    public const string ManagedStatic = "GSC008";
    public const string CheckedArithmetic = "GSC009";
    public const string FloatingPoint = "GSC010";
}

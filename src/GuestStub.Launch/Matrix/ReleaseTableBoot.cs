using GuestStub.Launch.Reports;

namespace GuestStub.Launch.Matrix;

/// <summary>
/// One boot of a release matrix as the table shows it: the release (the <c>--xen</c> choice, in
/// one word), its column (the shape's group: <c>dom0</c>, <c>dom0+2domU-gicv3</c>), its verdicts
/// and its log (a path relative to the table's own directory).
/// </summary>
public sealed record ReleaseTableBoot(string Release, string Column, BootVerdicts Verdicts, string Log);

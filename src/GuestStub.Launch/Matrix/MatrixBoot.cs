using System.Linq;
using GuestStub.Launch.Running;

namespace GuestStub.Launch.Matrix;

/// <summary>
/// One boot of the matrix: the configuration's label (also its log's name) and its shape; the
/// release table's column it falls in (<see cref="Column"/>: <c>dom0</c>,
/// <c>dom0+2domU-gicv3</c>) and its own name among the boots of one Xen (<see cref="Name"/>, the
/// shape part of its JUnit names).
/// </summary>
public sealed record MatrixBoot(string Label, BootShape Shape)
{
    /// <summary>The release table's column: boots of one kind whose verdicts one cell sums up.</summary>
    public string Column { get; init; } = ShapeName.Of(Shape);

    /// <summary>The boot's name among the boots of one Xen, unique in a plan.</summary>
    public string Name { get; init; } = ShapeName.Of(Shape);

    /// <summary>The label as a file name: anything but letters, digits, '=', '.' and '-' becomes '_'.</summary>
    public string LogName =>
        new string(Label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '=' or '.' or '-' ? c : '_').ToArray()) + ".log";
}

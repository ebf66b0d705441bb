using System.Linq;
using GuestStub.Launch.Running;

namespace GuestStub.Launch.Matrix;

/// <summary>One boot of the matrix: the configuration's label (also its log's name) and its shape.</summary>
public sealed record MatrixBoot(string Label, BootShape Shape)
{
    /// <summary>The label as a file name: anything but letters, digits, '=', '.' and '-' becomes '_'.</summary>
    public string LogName =>
        new string(Label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '=' or '.' or '-' ? c : '_').ToArray()) + ".log";
}

using System.Text;
using Microsoft.CodeAnalysis;

namespace GuestStub.Analyzers;

/// <summary>
/// The offending code as a message quotes it: on one line, whitespace collapsed, without a
/// statement's closing semicolon, and shortened so a long lambda does not fill the build log.
/// </summary>
internal static class CodeText
{
    private const int MaxLength = 80;

    public static string Of(SyntaxNode node) => Of(node.ToString());

    public static string Of(string text)
    {
        var one = new StringBuilder(text.Length);
        bool space = false;
        foreach (char ch in text.Trim().TrimEnd(';').TrimEnd())
        {
            if (char.IsWhiteSpace(ch))
            {
                space = true;
                continue;
            }
            if (space && one.Length > 0)
                one.Append(' ');
            space = false;
            one.Append(ch);
        }
        return one.Length <= MaxLength ? one.ToString() : one.ToString(0, MaxLength - 3) + "...";
    }

    /// <summary>A type as C# writes it (<c>object</c>, <c>List&lt;int&gt;</c>), for messages.</summary>
    public static string Of(ITypeSymbol? type) =>
        type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
}

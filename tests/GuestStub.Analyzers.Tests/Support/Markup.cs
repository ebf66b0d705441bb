using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace GuestStub.Analyzers.Tests.Support;

/// <summary>
/// Source with the expected diagnostics marked in it, as roslyn-analyzers' tests write them:
/// <c>{|GSC001:new object()|}</c> expects GSC001 exactly on <c>new object()</c>. Marks nest
/// (<c>{|GSC002:throw {|GSC001:new System.Exception()|}|}</c>).
/// </summary>
internal sealed record Markup(string Source, IReadOnlyList<(string Id, TextSpan Span)> Expected)
{
    public static Markup Parse(string marked)
    {
        var source = new StringBuilder(marked.Length);
        var expected = new List<(string, TextSpan)>();
        var open = new Stack<(string Id, int Start)>();
        for (int i = 0; i < marked.Length;)
        {
            if (string.CompareOrdinal(marked, i, "{|", 0, 2) == 0)
            {
                int colon = marked.IndexOf(':', i + 2);
                if (colon < 0)
                    throw new FormatException($"'{{|' at {i} without 'ID:'");
                open.Push((marked.Substring(i + 2, colon - i - 2), source.Length));
                i = colon + 1;
            }
            else if (string.CompareOrdinal(marked, i, "|}", 0, 2) == 0 && open.Count > 0)
            {
                (string id, int start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, source.Length)));
                i += 2;
            }
            else
            {
                source.Append(marked[i++]);
            }
        }
        if (open.Count > 0)
            throw new FormatException($"unclosed mark {{|{open.Peek().Id}:");
        return new Markup(source.ToString(), expected);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace GuestStub.Launch.Reports;

/// <summary>
/// Boots' verdicts as JUnit XML, in the form GitLab CI reads (docs.gitlab.com "Unit test
/// reports"; its parser, lib/gitlab/ci/parsers/test/junit.rb, takes every <c>testcase</c> under
/// <c>testsuites/testsuite</c>, its status from a <c>failure</c>, <c>error</c> or
/// <c>skipped</c> child, and shows that child's text) and valid against the Jenkins/Ant JUnit
/// schema (tests/schemas/README.md). One <c>testsuite</c> per boot, named
/// <c>&lt;xen&gt;/&lt;shape&gt;</c>; one <c>testcase</c> per domain and check, named
/// <c>&lt;xen&gt;/&lt;shape&gt;/&lt;domain&gt;/&lt;check&gt;</c>, its classname the suite's:
/// <list type="bullet">
/// <item>SUCCESS: no status child; the check's console lines in <c>system-out</c>;</item>
/// <item>SKIP: <c>skipped</c>, its text the reason, then the lines (that schema gives
/// <c>skipped</c> no attributes, so the reason is not a <c>message</c>);</item>
/// <item>FAILURE: <c>failure</c>, ERROR: <c>error</c>, each with <c>message</c> = the reason,
/// <c>type</c> = the verdict, and the reason and the lines as text (what GitLab shows).</item>
/// </list>
/// Built with System.Xml.Linq: the text is escaped by the writer; characters XML 1.0 cannot
/// carry (a console's escape sequences) are written as <c>\xNN</c>.
/// </summary>
public static class JUnitReport
{
    public static XDocument Build(IEnumerable<BootVerdicts> boots, string name = "gueststub")
    {
        List<XElement> suites = boots.Select(Suite).ToList();
        int Sum(string attribute) => suites.Sum(s => int.Parse((string)s.Attribute(attribute)!, CultureInfo.InvariantCulture));
        var root = new XElement("testsuites",
            new XAttribute("name", name),
            new XAttribute("tests", Sum("tests")),
            new XAttribute("failures", Sum("failures")),
            new XAttribute("errors", Sum("errors")),
            new XAttribute("time", Seconds(suites.Sum(s => double.Parse((string)s.Attribute("time")!, CultureInfo.InvariantCulture)))),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    /// <summary>Writes the report to <paramref name="path"/> (its directory made if missing).</summary>
    public static void Write(string path, IEnumerable<BootVerdicts> boots, string name = "gueststub")
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using XmlWriter writer = XmlWriter.Create(path, settings);
        Build(boots, name).Save(writer);
    }

    private static XElement Suite(BootVerdicts boot)
    {
        string suite = $"{boot.Xen}/{boot.Shape}";
        return new XElement("testsuite",
            new XAttribute("name", Clean(suite)),
            new XAttribute("tests", boot.Cases.Count),
            new XAttribute("failures", boot.Count(Verdict.Failure)),
            new XAttribute("errors", boot.Count(Verdict.Error)),
            new XAttribute("skipped", boot.Count(Verdict.Skip)),
            new XAttribute("time", Seconds(boot.Elapsed.TotalSeconds)),
            boot.Cases.Select(c => Case(boot, suite, c)));
    }

    private static XElement Case(BootVerdicts boot, string suite, CheckCase c)
    {
        string lines = string.Join("\n", c.Lines);
        var element = new XElement("testcase",
            new XAttribute("name", Clean(boot.CaseName(c))),
            new XAttribute("classname", Clean(suite)));
        string reason = c.Reason ?? VerdictText.Name(c.Verdict);
        string text = $"{VerdictText.Name(c.Verdict)} {reason}\n{lines}\n";
        switch (c.Verdict)
        {
            case Verdict.Success:
                element.Add(new XElement("system-out", Clean(lines + "\n")));
                break;
            case Verdict.Skip:
                element.Add(new XElement("skipped", Clean(text)));
                break;
            case Verdict.Failure:
            case Verdict.Error:
                element.Add(new XElement(c.Verdict == Verdict.Failure ? "failure" : "error",
                    new XAttribute("message", Clean(reason)),
                    new XAttribute("type", VerdictText.Name(c.Verdict)),
                    Clean(text)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(c), c.Verdict, "not a verdict");
        }
        return element;
    }

    /// <summary>Text XML 1.0 can carry: any other character (a console's ESC, a NUL, half a
    /// surrogate pair) becomes <c>\xNN</c>.</summary>
    public static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                clean.Append(ch).Append(text[++i]);
            else if (XmlConvert.IsXmlChar(ch))
                clean.Append(ch);
            else
                clean.Append(CultureInfo.InvariantCulture, $"\\x{(int)ch:x2}");
        }
        return clean.ToString();
    }

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}

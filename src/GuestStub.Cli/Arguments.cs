using System;
using System.Collections.Generic;
using System.Globalization;

namespace GuestStub.Cli;

/// <summary>
/// A small command-line parser shared by the sub-commands: positional arguments plus
/// <c>--name value</c> options and <c>--flag</c> switches. Anything unknown is a
/// <see cref="UsageException"/> naming it.
/// </summary>
public sealed class Arguments
{
    private readonly List<string> _positionals = new();
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positionals => _positionals;

    /// <param name="args">The arguments after the command name.</param>
    /// <param name="valueOptions">Options that take a value, e.g. "--bootargs".</param>
    /// <param name="flags">Options without a value, e.g. "--domu".</param>
    public static Arguments Parse(string[] args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        var result = new Arguments();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                result._positionals.Add(a);
                continue;
            }
            string name = a;
            string? inlineValue = null;
            int eq = a.IndexOf('=');
            if (eq > 0)
            {
                name = a[..eq];
                inlineValue = a[(eq + 1)..];
            }
            if (Contains(valueOptions, name))
            {
                string? value = inlineValue;
                if (value is null)
                {
                    if (i + 1 >= args.Length)
                        throw new UsageException($"option {name} needs a value");
                    value = args[++i];
                }
                if (result._options.ContainsKey(name))
                    throw new UsageException($"option {name} given twice");
                result._options[name] = value;
            }
            else if (Contains(flags, name))
            {
                if (inlineValue is not null)
                    throw new UsageException($"option {name} takes no value");
                result._options[name] = null;
            }
            else
            {
                throw new UsageException($"unknown option {name}");
            }
        }
        return result;
    }

    private static bool Contains(IReadOnlyCollection<string> names, string name)
    {
        foreach (string n in names)
            if (n == name)
                return true;
        return false;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out string? v) ? v : null;

    /// <summary>The single positional argument a command requires, named for the error.</summary>
    public string RequirePositional(int index, string what)
    {
        if (index >= _positionals.Count)
            throw new UsageException($"missing {what}");
        return _positionals[index];
    }

    public void RequireAtMostPositionals(int count)
    {
        if (_positionals.Count > count)
            throw new UsageException($"unexpected argument '{_positionals[count]}'");
    }

    /// <summary>Parses an unsigned number in decimal or 0x hex, naming the option on error.</summary>
    public ulong? UnsignedValue(string name)
    {
        string? text = Value(name);
        if (text is null)
            return null;
        if (!TryParseUnsigned(text, out ulong v))
            throw new UsageException($"option {name}: '{text}' is not a number");
        return v;
    }

    /// <summary>An unsigned number in decimal or 0x hex: digits only (no sign, spaces or separators).</summary>
    public static bool TryParseUnsigned(string text, out ulong value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GuestStub.Cli.CommandLine;

/// <summary>The values the verbs' options share, with the checks and the wording of their errors.</summary>
public static class CliValues
{
    /// <summary>An unsigned number in decimal or 0x hex: digits only (no sign, spaces or separators).</summary>
    public static bool TryParseUnsigned(string text, out ulong value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>An option taking an unsigned number (decimal or 0x hex), null when absent.</summary>
    public static Option<ulong?> Unsigned(string name, string description, string helpName = "N") => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return null;
            string text = result.Tokens[0].Value;
            if (TryParseUnsigned(text, out ulong value))
                return value;
            result.AddError($"option {name}: '{text}' is not a number");
            return null;
        },
    };

    /// <summary>An integer option within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Bounded(string name, string description, int min, int max, int defaultValue, params string[] aliases)
    {
        var option = new Option<int>(name, aliases)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                // System.CommandLine asks the parser for the default too: no words, no error.
                if (result.Tokens.Count == 0)
                    return defaultValue;
                string text = result.Tokens[0].Value;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
                    return value;
                result.AddError($"{name} must be {min}..{max}, not '{text}'");
                return defaultValue;
            },
        };
        return option;
    }

    /// <summary>A switch: no value.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A string option.</summary>
    public static Option<string> Text(string name, string description, string helpName, string defaultValue = "") => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>Whether the option was on the command line.</summary>
    public static bool Given(this ParseResult parse, Option option) => parse.GetResult(option) is OptionResult { Implicit: false };
}

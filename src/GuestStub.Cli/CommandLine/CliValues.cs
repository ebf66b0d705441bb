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

    /// <summary>
    /// An option whose one word <paramref name="parse"/> reads, giving the value or the error
    /// that names what is wrong with the word; <paramref name="absent"/> when the option is not
    /// given (shown as the default in the help unless null).
    /// </summary>
    public static Option<T> Parsed<T>(string name, string description, string helpName, T absent, Func<string, (T Value, string? Error)> parse, params string[] aliases)
    {
        var option = new Option<T>(name, aliases)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                // System.CommandLine asks the parser for the default too: no words, no error.
                if (result.Tokens.Count == 0)
                    return absent;
                (T value, string? error) = parse(result.Tokens[0].Value);
                if (error is null)
                    return value;
                result.AddError(error);
                return absent;
            },
        };
        if (absent is not null)
            option.DefaultValueFactory = _ => absent;
        return option;
    }

    /// <summary>An option taking an unsigned number (decimal or 0x hex), null when absent.</summary>
    public static Option<ulong?> Unsigned(string name, string description, string helpName = "N") =>
        Parsed<ulong?>(name, description, helpName, null,
            text => TryParseUnsigned(text, out ulong value) ? (value, null) : (null, $"option {name}: '{text}' is not a number"));

    /// <summary>An integer option within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Bounded(string name, string description, int min, int max, int defaultValue, params string[] aliases) =>
        Parsed(name, description, "N", defaultValue,
            text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
                ? (value, null)
                : (defaultValue, $"{name} must be {min}..{max}, not '{text}'"),
            aliases);

    /// <summary>A switch: no value.</summary>
    /// <summary><c>--no-build</c>, which ./build.sh passes on to every verb that boots (it skips
    /// its own build step): gueststub never builds.</summary>
    public static Option<bool> NoBuild() => Flag("--no-build", "accepted for ./build.sh's sake: gueststub never builds, it boots what was last built");

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

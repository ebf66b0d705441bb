using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GuestStub.Launch.ImageBuilder;

public sealed partial record ImageBuilderConfig
{
    /// <summary>The assignments read, turned into values: numbers as bash's arithmetic reads
    /// ImageBuilder's (decimal or 0x hex), each bad one an error naming its line and variable.</summary>
    private sealed class Reader(string path, IReadOnlyDictionary<string, (string Value, int Line)> values, List<string> errors)
    {
        public bool Has(string variable) => values.ContainsKey(variable);

        public string? Text(string variable) => values.TryGetValue(variable, out var v) ? v.Value : null;

        private string Where(string variable) =>
            values.TryGetValue(variable, out var v) ? $"{path}:{v.Line.ToString(CultureInfo.InvariantCulture)}: {variable}" : $"{path}: {variable}";

        /// <summary>A number in [min, max], <paramref name="absent"/> when unset.</summary>
        public ulong Number(string variable, ulong absent, ulong min, ulong max)
        {
            if (Text(variable) is not string text)
                return absent;
            if (!TryNumber(text, out ulong value))
            {
                errors.Add($"{Where(variable)}: '{text}' is not a number (decimal, or hex with 0x)");
                return absent;
            }
            if (value < min || value > max)
            {
                errors.Add($"{Where(variable)}: {text} is out of range ({min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)})");
                return absent;
            }
            return value;
        }

        /// <summary>A number ImageBuilder needs set.</summary>
        public ulong Required(string variable)
        {
            if (!Has(variable))
            {
                errors.Add($"{path}: {variable} is not set (ImageBuilder needs it)");
                return 0;
            }
            return Number(variable, 0, 0, ulong.MaxValue);
        }

        /// <summary>A file name in the served directory (no directory part).</summary>
        public string? FileName(string variable)
        {
            string? name = Text(variable);
            if (name is not null && (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or ".."))
            {
                errors.Add($"{Where(variable)}: '{name}' must be a plain file name (it is written beside the images U-Boot loads)");
                return null;
            }
            return name;
        }

        private bool? Flag(string variable)
        {
            if (Text(variable) is not string text)
                return null;
            if (text is "0" or "1")
                return text == "1";
            errors.Add($"{Where(variable)}: '{text}' must be 1 or 0");
            return null;
        }

        public ImageBuilderDomU DomU(int i)
        {
            string I(string name) => $"{name}[{i.ToString(CultureInfo.InvariantCulture)}]";
            string? kernel = Text(I("DOMU_KERNEL"));
            if (kernel is null)
                errors.Add($"{path}: {I("DOMU_KERNEL")} is not set (NUM_DOMUS says domU {i.ToString(CultureInfo.InvariantCulture)} exists)");
            ulong enhanced = Number(I("DOMU_ENHANCED"), ulong.MaxValue, 0, 2);
            return new ImageBuilderDomU(i)
            {
                Kernel = kernel,
                CommandLine = Text(I("DOMU_CMD")) ?? ImageBuilderDomU.DefaultCommandLine,
                MemoryMiB = Number(I("DOMU_MEM"), ImageBuilderDomU.DefaultMemoryMiB, 1, 1 << 20),
                Vcpus = (int)Number(I("DOMU_VCPUS"), 1, 1, 128),
                Enhanced = enhanced == ulong.MaxValue ? null : (int)enhanced,
                StaticMemory = StaticMemory(I("DOMU_STATIC_MEM")),
                DirectMap = Flag(I("DOMU_DIRECT_MAP")),
                SharedMemory = SharedMemory(I("DOMU_SHARED_MEM")),
                StaticEventChannels = EventChannels(I("DOMU_STATIC_EVTCHNS")),
            };
        }

        /// <summary><c>"base1 size1 ... baseN sizeN"</c>.</summary>
        private IReadOnlyList<(ulong, ulong)> StaticMemory(string variable)
        {
            if (Text(variable) is not string text)
                return Array.Empty<(ulong, ulong)>();
            string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var regions = new List<(ulong, ulong)>();
            if (words.Length == 0 || words.Length % 2 != 0)
            {
                errors.Add($"{Where(variable)}: '{text}' must be pairs of base and size");
                return regions;
            }
            for (int w = 0; w < words.Length; w += 2)
            {
                if (!TryNumber(words[w], out ulong b) || !TryNumber(words[w + 1], out ulong s) || s == 0)
                {
                    errors.Add($"{Where(variable)}: '{words[w]} {words[w + 1]}' is not a base and a size (numbers, the size above 0)");
                    return regions;
                }
                regions.Add((b, s));
            }
            return regions;
        }

        /// <summary><c>"ID HOST GUEST SIZE"</c>, as Xen's CI writes it, or <c>"ID GUEST SIZE"</c>
        /// for Xen to take the host memory (Xen 4.19 and later).</summary>
        private ImageBuilderSharedMemory? SharedMemory(string variable)
        {
            if (Text(variable) is not string text)
                return null;
            string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ulong[] numbers = new ulong[Math.Max(words.Length - 1, 0)];
            bool ok = words.Length is 3 or 4;
            for (int w = 1; ok && w < words.Length; w++)
                ok = TryNumber(words[w], out numbers[w - 1]);
            if (!ok || numbers[^1] == 0)
            {
                errors.Add($"{Where(variable)}: '{text}' must be an id, the host address (or none), the guest address and the size");
                return null;
            }
            return words.Length == 4
                ? new ImageBuilderSharedMemory(words[0], numbers[0], numbers[1], numbers[2])
                : new ImageBuilderSharedMemory(words[0], null, numbers[0], numbers[1]);
        }

        /// <summary><c>"local_port remote_domu_index remote_port; ..."</c>.</summary>
        private IReadOnlyList<ImageBuilderEventChannel> EventChannels(string variable)
        {
            var channels = new List<ImageBuilderEventChannel>();
            if (Text(variable) is not string text)
                return channels;
            foreach (string definition in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string[] words = definition.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length != 3 || !TryNumber(words[0], out ulong local) || !TryNumber(words[1], out ulong remote)
                    || !TryNumber(words[2], out ulong remotePort) || local > uint.MaxValue || remotePort > uint.MaxValue || remote > int.MaxValue)
                {
                    errors.Add($"{Where(variable)}: '{definition}' must be the local port, the other domU's index and its port");
                    continue;
                }
                channels.Add(new ImageBuilderEventChannel((uint)local, (int)remote, (uint)remotePort));
            }
            return channels;
        }

        private static bool TryNumber(string text, out ulong value) =>
            text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length > 2
                : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GuestStub.Launch.Domains;

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

        /// <summary><c>"base1 size1 ... baseN sizeN"</c>: the domain model's parser
        /// (<see cref="StaticMemoryBank.ParseList"/>), its complaint placed at the variable.</summary>
        private IReadOnlyList<StaticMemoryBank> StaticMemory(string variable)
        {
            if (Text(variable) is not string text)
                return Array.Empty<StaticMemoryBank>();
            try
            {
                return StaticMemoryBank.ParseList(text);
            }
            catch (LaunchException e)
            {
                errors.Add($"{Where(variable)}: {e.Message}");
                return Array.Empty<StaticMemoryBank>();
            }
        }

        /// <summary><c>"ID HOST GUEST SIZE"</c>, as Xen's CI writes it, or <c>"ID GUEST SIZE"</c>
        /// for Xen to take the host memory (Xen 4.19 and later): the domain model's parser
        /// (<see cref="StaticSharedMemory.Parse"/>), its complaint placed at the variable.</summary>
        private StaticSharedMemory? SharedMemory(string variable)
        {
            if (Text(variable) is not string text)
                return null;
            try
            {
                return StaticSharedMemory.Parse(text);
            }
            catch (LaunchException e)
            {
                errors.Add($"{Where(variable)}: {e.Message}");
                return null;
            }
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

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;
using GuestStub.Memory;

using GuestStub.Simulation;

namespace GuestStub.Cli.Commands;

/// <summary>
/// Renders an <see cref="AddressMap"/> as SVG on a broken scale, so a 4 KiB reservation and a
/// 1 TiB region are both readable: addresses run down the page; every start and end of every
/// range is a boundary; each band between two boundaries gets a height that grows with log2 of
/// its size (22 px for a page, about 190 px for 1 TiB), and a band nothing covers is squeezed
/// to a fixed break (zig-zag on the axis). Each boundary is labelled with its address on the
/// axis; each range with its name and size, its exact bounds in a tooltip.
/// </summary>
public static class AddressMapSvg
{
    private const int AxisWidth = 150;
    private const int LaneWidth = 175;
    private const int Top = 70;
    private const int BreakHeight = 26;

    private static readonly (AddressMap.Lane Lane, string Name, string Fill)[] Lanes =
    {
        (AddressMap.Lane.Ram, "RAM", "#7fb3d5"),
        (AddressMap.Lane.Reserved, "reserved", "#f5b041"),
        (AddressMap.Lane.Grant, "grant table (region 0)", "#bb8fce"),
        (AddressMap.Lane.Extended, "extended regions", "#82e0aa"),
        (AddressMap.Lane.Hole, "holes (unavailable)", "#d5d8dc"),
        (AddressMap.Lane.Scratch, "scratch chunks", "#48c9b0"),
    };

    public static string Render(AddressMap map)
    {
        List<ulong> bounds = Boundaries(map);
        var y = new Dictionary<ulong, double>();
        var broken = new List<(double Y, ulong Size)>();
        double at = Top + 30;
        for (int i = 0; i < bounds.Count; i++)
        {
            y[bounds[i]] = at;
            if (i + 1 == bounds.Count)
                break;
            ulong size = bounds[i + 1] - bounds[i];
            bool covered = map.Items.Any(it => it.Range.Start <= bounds[i] && bounds[i + 1] <= it.Range.End);
            if (!covered)
                broken.Add((at, size));
            at += covered ? BandHeight(size) : BreakHeight;
        }
        int width = AxisWidth + LaneWidth * Lanes.Length + 220;
        int height = (int)at + 40;

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">\n");
        svg.Append($"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append($"<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Guest-physical address space: {Esc(map.Title)}</text>\n");
        svg.Append($"<text x=\"10\" y=\"40\">{Esc(map.Note)}</text>\n");
        svg.Append("<text x=\"10\" y=\"56\" fill=\"#555\">Broken scale: band height grows with log2(size); bands nothing covers are cut (zig-zag). Ranges half-open [start, end).</text>\n");

        for (int l = 0; l < Lanes.Length; l++)
            svg.Append($"<text x=\"{LaneX(l) + LaneWidth / 2}\" y=\"{Top + 20}\" text-anchor=\"middle\" font-weight=\"bold\">{Esc(Lanes[l].Name)}</text>\n");

        // Grid and address labels first, so the ranges are drawn over the grid lines.
        foreach (ulong b in bounds)
        {
            svg.Append($"<line x1=\"{AxisWidth - 4}\" y1=\"{F(y[b])}\" x2=\"{AxisWidth + LaneWidth * Lanes.Length}\" y2=\"{F(y[b])}\" stroke=\"#ddd\"/>");
            svg.Append($"<text x=\"{AxisWidth - 8}\" y=\"{F(y[b] + 4)}\" text-anchor=\"end\" font-family=\"DejaVu Sans Mono, monospace\">{Hex(b)}</text>\n");
        }

        foreach ((double by, ulong size) in broken)
        {
            double mid = by + BreakHeight / 2.0;
            svg.Append($"<polyline points=\"{AxisWidth - 14},{F(mid - 6)} {AxisWidth - 6},{F(mid - 2)} {AxisWidth - 14},{F(mid + 2)} {AxisWidth - 6},{F(mid + 6)}\" fill=\"none\" stroke=\"#888\"/>\n");
            svg.Append($"<text x=\"{AxisWidth + 6}\" y=\"{F(mid + 4)}\" fill=\"#999\" font-style=\"italic\">unused {Esc(HostText.Size(size))} (cut)</text>\n");
        }

        for (int l = 0; l < Lanes.Length; l++)
        {
            foreach (AddressMap.Item item in map.Items.Where(it => it.Lane == Lanes[l].Lane))
            {
                double top = y[item.Range.Start], bottom = y[item.Range.End];
                string fill = item.Rejected ? "#f1948a" : Lanes[l].Fill;
                string dash = item.Rejected ? " stroke-dasharray=\"4 2\"" : "";
                svg.Append($"<g><title>{Esc(item.Label)}: {Hex(item.Range.Start)}-{Hex(item.Range.End)} ({Esc(HostText.Size(item.Range.SizeBytes))})</title>");
                svg.Append($"<rect x=\"{LaneX(l) + 4}\" y=\"{F(top)}\" width=\"{LaneWidth - 8}\" height=\"{F(bottom - top)}\" fill=\"{fill}\" stroke=\"#333\"{dash}/>");
                double mid = (top + bottom) / 2;
                if (bottom - top >= 28)
                {
                    svg.Append($"<text x=\"{LaneX(l) + LaneWidth / 2}\" y=\"{F(mid - 2)}\" text-anchor=\"middle\">{Esc(item.Label)}</text>");
                    svg.Append($"<text x=\"{LaneX(l) + LaneWidth / 2}\" y=\"{F(mid + 11)}\" text-anchor=\"middle\">{Esc(HostText.Size(item.Range.SizeBytes))}</text>");
                }
                else
                {
                    svg.Append($"<text x=\"{LaneX(l) + LaneWidth / 2}\" y=\"{F(mid + 4)}\" text-anchor=\"middle\">{Esc(item.Label)}, {Esc(HostText.Size(item.Range.SizeBytes))}</text>");
                }
                svg.Append("</g>\n");
            }
        }

        if (y.TryGetValue(map.Clamp, out double clampY))
        {
            int right = AxisWidth + LaneWidth * Lanes.Length;
            svg.Append($"<line x1=\"{AxisWidth}\" y1=\"{F(clampY)}\" x2=\"{right + 10}\" y2=\"{F(clampY)}\" stroke=\"#c0392b\" stroke-width=\"2.5\" stroke-dasharray=\"8 4\"/>");
            svg.Append($"<text x=\"{right + 14}\" y=\"{F(clampY + 4)}\" fill=\"#c0392b\" font-weight=\"bold\">clamp {Hex(map.Clamp)} ({Esc(HostText.Size(map.Clamp))})</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Every start and end, plus the clamp (always, so the reader sees where the limit
    /// is, even far past the ranges: the band up to it is then cut).</summary>
    private static List<ulong> Boundaries(AddressMap map)
    {
        var set = new SortedSet<ulong>();
        foreach (AddressMap.Item item in map.Items)
        {
            set.Add(item.Range.Start);
            set.Add(item.Range.End);
        }
        set.Add(map.Clamp);
        return set.ToList();
    }

    private static double BandHeight(ulong size)
    {
        double pages = Math.Max(1.0, size / 4096.0);
        return 22 + 6 * Math.Log2(pages);
    }

    private static int LaneX(int lane) => AxisWidth + LaneWidth * lane;

    private static string Hex(ulong value) => HostText.Hex(value);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Esc(string text) => SecurityElement.Escape(text) ?? "";
}

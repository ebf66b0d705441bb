using System;
using System.IO;
using System.Linq;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>
/// The nodes a dom0less boot adds to the host tree, for each shape: built by the launcher on a
/// fixed base tree, compiled by dtc, decompiled by dtc and compared as dtc prints them (labels
/// become phandles, string lists NUL-separated).
/// </summary>
public class HostTreeTests
{
    private static string Chosen(BootShape shape)
    {
        string text = FakeCheckout.HostTreeSource(shape);
        int start = text.IndexOf("\tchosen {", StringComparison.Ordinal);
        return text[start..text.LastIndexOf("\n};", StringComparison.Ordinal)];
    }

    private const string Dom0Module = """
        		module@49000000 {
        			compatible = "multiboot,kernel\0multiboot,module";
        			reg = <0x00 0x49000000 0x00 0x178b0>;
        			bootargs = "console=hvc0";
        		};
        """;

    private static string DomU(int i, string features, string extra = "") => $$"""
        		domU{{i}} {
        			compatible = "xen,domain";
        			#address-cells = <0x02>;
        			#size-cells = <0x02>;
        			memory = <0x00 0x20000>;
        			cpus = <0x01>;
        {{features}}

        			module@4{{(char)('a' + i - 1)}}000000 {
        				compatible = "multiboot,kernel\0multiboot,module";
        				reg = <0x00 0x4{{(char)('a' + i - 1)}}000000 0x00 0x178b0>;
        				bootargs = "console=hvc0";
        			};{{extra}}
        		};
        """;

    private const string Head = """
        	chosen {
        		stdout-path = "/pl011@9000000";
        		#address-cells = <0x02>;
        		#size-cells = <0x02>;
        		xen,xen-bootargs = "dom0_mem=128M console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all serial_tx_buffer=256K";

        """;

    private static string Expect(params string[] nodes) => (Head + "\n" + string.Join("\n\n", nodes) + "\n\t};").Replace("\r", "");

    [Fact]
    public void Dom0_and_two_domUs_with_the_hypervisor_node()
    {
        Assert.Equal(Expect(Dom0Module, DomU(1, "\t\t\txen,enhanced = \"no-xenstore\";"), DomU(2, "\t\t\txen,enhanced = \"no-xenstore\";")),
            Chosen(new BootShape { DomUs = 2 }));
    }

    [Fact]
    public void Plain_domUs_have_a_vpl011_and_no_xen_enhanced()
    {
        Assert.Equal(Expect(Dom0Module, DomU(1, "\t\t\tvpl011;")), Chosen(new BootShape { DomUs = 1, PlainDomUs = true }));
    }

    [Fact]
    public void Static_event_channels_name_each_other_by_phandle_on_ports_10_plus_i_and_10()
    {
        string dom0End(int i, int phandle, int peer) => $$"""
            		evtchn-domu{{i}} {
            			compatible = "xen,evtchn-v1";
            			xen,evtchn = <0x{{10 + i:x2}} 0x{{peer:x2}}>;
            			phandle = <0x{{phandle:x2}}>;
            		};
            """;
        string domUEnd(int phandle, int peer) => $$"""


            			evtchn-dom0 {
            				compatible = "xen,evtchn-v1";
            				xen,evtchn = <0x0a 0x{{peer:x2}}>;
            				phandle = <0x{{phandle:x2}}>;
            			};
            """;
        // dtc numbers phandles in the order it meets the references' targets.
        string actual = Chosen(new BootShape { DomUs = 2, StaticEventChannels = true });
        int P(string node) => Convert.ToInt32(System.Text.RegularExpressions.Regex.Match(actual, node + @" \{[^}]*phandle = <0x([0-9a-f]+)>").Groups[1].Value, 16);
        int d0u1 = P("evtchn-domu1"), d0u2 = P("evtchn-domu2");
        int u1 = P(@"domU1 \{(?:[^}]*\};)*?\s*evtchn-dom0"), u2 = P(@"domU2 \{(?:[^}]*\};)*?\s*evtchn-dom0");
        Assert.Equal(4, new[] { d0u1, d0u2, u1, u2 }.Distinct().Count());
        string enhanced = "\t\t\txen,enhanced = \"no-xenstore\";";
        Assert.Equal(Expect(Dom0Module, dom0End(1, d0u1, u1), dom0End(2, d0u2, u2),
            DomU(1, enhanced, domUEnd(u1, d0u1)), DomU(2, enhanced, domUEnd(u2, d0u2))), actual);
    }

    [Fact]
    public void Strings_with_quotes_and_backslashes_reach_the_tree_as_written()
    {
        string actual = Chosen(new BootShape { DomUs = 1, Append = "say=\"hi\" path=a\\b" });
        Assert.Contains("bootargs = \"console=hvc0 say=\\\"hi\\\" path=a\\\\b\";", actual);
    }
}

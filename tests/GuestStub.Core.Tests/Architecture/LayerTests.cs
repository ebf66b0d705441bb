using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace GuestStub.Tests.Architecture;

/// <summary>
/// Core's layers by folder point one way (README "Architecture"): a type of a lower layer
/// never names a type of a higher one, in a signature or in a method body. Checked on the
/// compiled assembly, so no reference can hide from it.
/// </summary>
public class LayerTests
{
    /// <summary>Core's namespaces from the bottom up; a namespace belongs to the layer of its
    /// longest listed prefix (GuestStub.Xen.Setup is in the Xen layer).</summary>
    public static readonly string[] CoreLayers =
    {
        "GuestStub.Memory",          // physical ranges, pages, the RAM page allocator, the memory seam
        "GuestStub.Text",            // formatting without allocation
        "GuestStub.DeviceTree",      // the generic FDT reader
        "GuestStub.Platform",        // facts drawn from the tree, boot options, the front end
        "GuestStub.Xen",             // ABI, hypercall wrappers, Xen setup and its self-test
        "GuestStub.ExtendedRegions", // registration of regions 1..N
        "GuestStub.Scratch",         // the scratch pool, its stage, self-test and bench
        "GuestStub.Peers",           // across domains: discovery, frontend, backend, error paths
        "GuestStub.Boot",            // the boot pipeline
        "GuestStub.Report",          // the report, written from the stages' results
    };

    [Fact]
    public void No_core_layer_refers_to_a_layer_above_it()
    {
        Assembly core = typeof(GuestStub.Boot.BootPipeline).Assembly;
        string[] violations = Violations(core, CoreLayers).ToArray();
        Assert.True(violations.Length == 0, "upward references:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_core_namespace_is_in_a_layer()
    {
        Assembly core = typeof(GuestStub.Boot.BootPipeline).Assembly;
        string[] unplaced = core.GetTypes()
            .Where(t => t.Namespace is not null && LayerOf(t.Namespace, CoreLayers) < 0)
            .Select(t => t.FullName!).ToArray();
        Assert.True(unplaced.Length == 0, "types in no layer:\n" + string.Join("\n", unplaced));
    }

    [Fact]
    public void The_check_finds_an_upward_reference_in_a_signature_and_in_a_body()
    {
        string[] layers = { typeof(Samples.Low.Below).Namespace!, typeof(Samples.High.Above).Namespace! };
        string[] violations = Violations(typeof(LayerTests).Assembly, layers).ToArray();
        Assert.Contains("GuestStub.Tests.Architecture.Samples.Low.Below -> GuestStub.Tests.Architecture.Samples.High.Above (Signature)", violations);
        Assert.Contains("GuestStub.Tests.Architecture.Samples.Low.Below -> GuestStub.Tests.Architecture.Samples.High.Above (Body)", violations);
        Assert.DoesNotContain(violations, v => v.StartsWith("GuestStub.Tests.Architecture.Samples.High.", StringComparison.Ordinal));
    }

    /// <summary>"TYPE -> REFERENCED (where)" for every reference from a type to a type of the
    /// same assembly in a higher layer.</summary>
    public static IEnumerable<string> Violations(Assembly assembly, string[] layers)
    {
        foreach (Type type in assembly.GetTypes())
        {
            int from = type.Namespace is null ? -1 : LayerOf(type.Namespace, layers);
            if (from < 0)
                continue;
            foreach ((Type referenced, string where) in TypeReferences.Of(type).Distinct())
            {
                if (referenced.Assembly != assembly || referenced.Namespace is null)
                    continue;
                int to = LayerOf(referenced.Namespace, layers);
                if (to > from)
                    yield return $"{type.FullName} -> {referenced.FullName} ({where})";
            }
        }
    }

    private static int LayerOf(string ns, string[] layers)
    {
        int best = -1, bestLength = -1;
        for (int i = 0; i < layers.Length; i++)
        {
            bool match = ns == layers[i] || ns.StartsWith(layers[i] + ".", StringComparison.Ordinal);
            if (match && layers[i].Length > bestLength)
            {
                best = i;
                bestLength = layers[i].Length;
            }
        }
        return best;
    }
}

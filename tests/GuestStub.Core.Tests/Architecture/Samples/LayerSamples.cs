// Two deliberately layered sample namespaces for LayerTests: the lower one refers to the
// higher one twice, once in a signature and once only inside a method body.
namespace GuestStub.Tests.Architecture.Samples.Low
{
    public static class Below
    {
        public static High.Above Signature() => default;

        public static int Body() => new High.Above().Value;
    }
}

namespace GuestStub.Tests.Architecture.Samples.High
{
    public struct Above
    {
        public int Value;

        public static int UsesLow() => Low.Below.Body();
    }
}

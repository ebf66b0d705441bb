namespace GuestStub.Vectors;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014; the seeding generator of java.util.SplittableRandom):
/// the seeded PRNG that drives the scratch sequences. It is part of a sequence vector's meaning,
/// so the generator's model uses this very struct: any change here changes every sequence.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="bound"/>), bound &gt; 0 (modulo: the bias does not matter here).</summary>
    public int Below(int bound) => (int)(Next() % (ulong)bound);
}

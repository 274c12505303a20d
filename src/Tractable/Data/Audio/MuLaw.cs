using static TorchSharp.torch;

namespace Tractable.Data.Audio;

/// <summary>
/// µ-law companding and 256-level quantization (ITU-T G.711; WaveNet, van den Oord et al. 2016, arXiv:1609.03499,
/// eq. 2): <c>f(x) = sign(x) ln(1 + µ|x|) / ln(1 + µ)</c> for <c>x ∈ [−1, 1]</c>, µ = 255, then
/// <c>q = ⌊(f(x) + 1)/2 · µ + ½⌋ ∈ {0, …, 255}</c>. Decoding maps a level back to the centre of its bin and expands it.
/// Silence (x = 0) is level 128.
/// </summary>
public static class MuLaw
{
    /// <summary>µ: the number of levels minus one.</summary>
    public const int Mu = 255;

    /// <summary>Number of quantization levels.</summary>
    public const int Levels = Mu + 1;

    /// <summary>The level of silence.</summary>
    public const int SilenceLevel = 128;

    /// <summary>Quantizes amplitudes in [−1, 1] (clamped) to int64 levels 0…255.</summary>
    public static Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor a = x.to(float64).clamp(-1, 1);
        Tensor f = a.sign() * (a.abs() * Mu).log1p() / Math.Log(1 + Mu);
        return ((f + 1) / 2 * Mu + 0.5).floor().clamp(0, Mu).to(int64).MoveToOuterDisposeScope();
    }

    /// <summary>The amplitudes in [−1, 1] (float32) of levels 0…255 (any numeric dtype).</summary>
    public static Tensor Decode(Tensor levels)
    {
        using var scope = NewDisposeScope();
        Tensor f = levels.to(float64) * (2.0 / Mu) - 1;
        Tensor x = f.sign() * ((f.abs() * Math.Log(1 + Mu)).exp() - 1) / Mu;    // ((1+µ)^|f| − 1)/µ
        return x.to(float32).MoveToOuterDisposeScope();
    }

    /// <summary>The amplitudes of levels 0…255 as one array of samples (for <see cref="WavAudio"/>).</summary>
    public static float[] DecodeSamples(Tensor levels)
    {
        using var scope = NewDisposeScope();
        return Decode(levels.flatten()).data<float>().ToArray();
    }
}

namespace Tractable.Transforms.Preprocessing;

/// <summary>Where an image flow takes dequantized pixels before its first level.</summary>
public enum ImagePreprocessing
{
    /// <summary>To [0, 1), then to logit space with a boundary margin (RealNVP, arXiv:1605.08803, §4.1).</summary>
    Logit,
    /// <summary>To [−0.5, 0.5) (Glow's code).</summary>
    Centered,
}

namespace Tractable.Models.Latent;

/// <summary>The observation model <c>p(x|z)</c> of a VAE.</summary>
public enum DecoderKind
{
    /// <summary>One Bernoulli per sub-pixel, for binary images.</summary>
    Bernoulli,
    /// <summary>A softmax over the levels of every sub-pixel (256-way for 8-bit images).</summary>
    Categorical,
    /// <summary>A discretized logistic (mixture) per pixel (Salimans et al. 2017).</summary>
    DiscretizedLogistic,
    /// <summary>A Gated PixelCNN conditioned on a spatial map computed from z (van den Oord et al. 2016, §2.3, §3.4).</summary>
    GatedPixelCnn,
    /// <summary>A diagonal Gaussian with a learned scale per feature, for real vectors.</summary>
    Gaussian,
}

namespace Tractable.Models.Latent;

/// <summary>The steps that refine a VAE's diagonal Gaussian posterior <c>q₀(z|x)</c>.</summary>
public enum PosteriorFlow
{
    /// <summary>No steps: the diagonal Gaussian itself (Kingma &amp; Welling 2014).</summary>
    None,
    /// <summary>Planar steps with amortized <c>(u, w, b)</c> (Rezende &amp; Mohamed 2015, §4; van den Berg et al. 2018).</summary>
    Planar,
    /// <summary>Radial steps with amortized <c>(z₀, α, β)</c> (Rezende &amp; Mohamed 2015, §4).</summary>
    Radial,
    /// <summary>Inverse autoregressive steps conditioned on the encoder's context <c>h</c> (Kingma et al. 2016, §4).</summary>
    Iaf,
}

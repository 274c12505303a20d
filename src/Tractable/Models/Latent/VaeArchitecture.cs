namespace Tractable.Models.Latent;

/// <summary>The networks of a VAE's encoder and decoder.</summary>
public enum VaeArchitecture
{
    /// <summary>Fully connected networks over flattened examples (Rezende &amp; Mohamed 2015, §6).</summary>
    Mlp,
    /// <summary>The gated convolutional encoder and decoder of van den Berg et al. 2018, reused in FFJORD's Table 3 (images only).</summary>
    GatedConv,
}

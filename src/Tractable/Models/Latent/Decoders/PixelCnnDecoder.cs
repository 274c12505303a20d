using Tractable.Models.Pixel;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.Latent.Decoders;

/// <summary>
/// The PixelCNN auto-encoder's decoder (van den Oord et al. 2016, arXiv:1606.05328, §3.4): a Gated PixelCNN conditioned
/// on a spatial map <c>s(z)</c> <c>[B, K, H, W]</c> computed from z by a network, through location-dependent conditioning
/// <c>y = tanh(W_f ∗ x + V_f ∗ s) ⊙ σ(W_g ∗ x + V_g ∗ s)</c> (§2.3). Given z the likelihood is exact (autoregressive over
/// the pixels), and sampling uses the Gated PixelCNN's cached sampler.
/// </summary>
public sealed class PixelCnnDecoder : LatentDecoder
{
    private readonly nn.Module<Tensor, Tensor> network;
    private readonly GatedPixelCnn pixelCnn;

    /// <summary>A decoder from z through <paramref name="network"/> (z → map) into <paramref name="pixelCnn"/>.</summary>
    public PixelCnnDecoder(nn.Module<Tensor, Tensor> network, GatedPixelCnn pixelCnn) : base(nameof(PixelCnnDecoder))
    {
        if (!pixelCnn.SpatialContext) throw new ArgumentException("The PixelCNN decoder needs a Gated PixelCNN with a spatial context (SpatialContextChannels > 0).");
        this.network = network;
        this.pixelCnn = pixelCnn;
        RegisterComponents();
    }

    /// <summary>The Gated PixelCNN.</summary>
    public GatedPixelCnn PixelCnn => pixelCnn;

    /// <summary>The conditioning map <c>s(z)</c> <c>[B, K, H, W]</c>.</summary>
    public Tensor Map(Tensor z) => network.forward(z);

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor z) => pixelCnn.LogProb(x, Map(z));

    /// <inheritdoc />
    public override Tensor Sample(Tensor z, Generator? generator = null) => pixelCnn.Sample(z.size(0), Map(z), generator);
}

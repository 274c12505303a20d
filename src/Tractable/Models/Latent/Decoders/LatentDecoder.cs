using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.Latent.Decoders;

/// <summary>The observation model <c>p(x|z)</c> of a latent-variable model: a network of z and a likelihood over x.</summary>
public abstract class LatentDecoder : nn.Module
{
    /// <summary>Creates a decoder; <paramref name="name"/> names the module in state dicts.</summary>
    protected LatentDecoder(string name) : base(name) { }

    /// <summary><c>log p(x|z)</c> in nats: <paramref name="x"/> <c>[B, ...]</c>, <paramref name="z"/> <c>[B, D]</c> → <c>[B]</c>.</summary>
    public abstract Tensor LogProb(Tensor x, Tensor z);

    /// <summary>Draws one <c>x ~ p(x|z)</c> per row of <paramref name="z"/>.</summary>
    public abstract Tensor Sample(Tensor z, Generator? generator = null);
}

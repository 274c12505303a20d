using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>A model with an encoder and a decoder, so that an example can be passed through both (a VAE).</summary>
public interface IReconstructingModel
{
    /// <summary>Decodes a posterior draw for each example of <paramref name="x"/>; the result has <paramref name="x"/>'s shape.</summary>
    Tensor Reconstruct(Tensor x, Generator? generator = null);
}

using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>A model of images with a latent space that decodes any point of it, so that images can be interpolated.</summary>
public interface ILatentImageModel
{
    /// <summary>
    /// The <paramref name="steps"/> images <c>[steps, C, H, W]</c> decoded along the straight line between the latents of
    /// the two images of <paramref name="pair"/> <c>[2, C, H, W]</c>, both ends included.
    /// </summary>
    Tensor Interpolate(Tensor pair, int steps);
}

using Tractable.Distributions;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Models.MultiScale;

/// <summary>
/// The prior of the last level's output <c>[C, H, W]</c>: the standard normal (RealNVP), or Glow's learned diagonal
/// Gaussian (zero-initialized, so it starts as the standard normal), optionally class-conditional with a per-channel
/// mean and log-scale that are a linear function of the one-hot class (Glow, arXiv:1807.03039, §5.2).
/// </summary>
public sealed class ImagePrior : TorchSharp.torch.nn.Module
{
    private readonly long[] shape;
    private readonly Parameter? meanLogStd;
    private readonly Linear? classProjection;

    /// <summary>A prior over <paramref name="shape"/> <c>[C, H, W]</c>.</summary>
    public ImagePrior(long[] shape, bool learned, int numClasses) : base(nameof(ImagePrior))
    {
        this.shape = shape;
        if (learned) meanLogStd = new Parameter(zeros([2 * shape[0], shape[1], shape[2]]));
        if (numClasses > 0)
        {
            classProjection = nn.Linear(numClasses, 2 * shape[0]);
            using var _ = no_grad();
            classProjection.weight!.zero_();
            classProjection.bias!.zero_();
        }
        RegisterComponents();
    }

    private (Tensor mean, Tensor logStd) Parameters(long n, Tensor? context, Tensor like)
    {
        Tensor p = meanLogStd is null
            ? zeros([n, 2 * shape[0], shape[1], shape[2]], dtype: like.dtype, device: like.device)
            : meanLogStd.unsqueeze(0).expand(n, -1, -1, -1);
        if (classProjection is not null)
        {
            if (context is null) throw new ArgumentException("This model is class-conditional: pass labels (a one-hot context).");
            p = p + classProjection.forward(context).unsqueeze(-1).unsqueeze(-1);
        }
        Tensor[] halves = TensorSizes.Chunk(p, 2, 1);
        return (halves[0], halves[1]);
    }

    /// <summary><c>log p(z | class)</c> per example.</summary>
    public Tensor LogProb(Tensor z, Tensor? context)
    {
        (Tensor mean, Tensor logStd) = Parameters(z.size(0), context, z);
        return Gaussian.LogDensity(z, mean, logStd).flatten(1).sum(1);
    }

    /// <summary>Draws <paramref name="n"/> latents at <paramref name="temperature"/>.</summary>
    public Tensor Sample(long n, Tensor? context, Generator? generator, double temperature, Tensor like)
    {
        (Tensor mean, Tensor logStd) = Parameters(n, context, like);
        return Gaussian.Sample(mean, logStd, generator, temperature);
    }
}

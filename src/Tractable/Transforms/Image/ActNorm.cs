using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Transforms.Image;

/// <summary>
/// Activation normalization (Glow, Kingma &amp; Dhariwal 2018, arXiv:1807.03039, §3.1, Table 1):
/// <c>y = (x + b)·exp(s)</c> per channel, <c>log|det J| = H·W·Σ s</c>. The first forward pass in training mode
/// sets <c>b = −mean</c> and <c>s = −log std</c> of that batch (data-dependent initialization), so the output has
/// zero mean and unit variance per channel.
/// </summary>
/// <remarks>
/// Whether it is initialized is a persistent buffer, updated in place, so a reloaded model is never re-initialized.
/// Works on <c>[B, C, H, W]</c> and on vectors <c>[B, C]</c>.
/// </remarks>
public sealed class ActNorm : Bijector
{
    private readonly Parameter bias;
    private readonly Parameter logScale;
    private readonly Tensor initialized;

    /// <summary>ActNorm over <paramref name="channels"/> channels.</summary>
    public ActNorm(long channels) : base(nameof(ActNorm))
    {
        bias = new Parameter(zeros(channels));
        logScale = new Parameter(zeros(channels));
        initialized = zeros(1);
        RegisterComponents();
    }

    /// <summary>Whether the data-dependent initialization has happened.</summary>
    public bool IsInitialized
    {
        get
        {
            using Tensor flag = initialized.gt(0);                         // in any type the module was moved to
            return flag.item<bool>();
        }
    }

    private static long[] ChannelShape(Tensor x) => x.dim() == 4 ? [1, -1, 1, 1] : [1, -1];

    private static long Positions(Tensor x) => x.dim() == 4 ? x.size(2) * x.size(3) : 1;

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        if (training && !IsInitialized) Initialize(x);
        long[] shape = ChannelShape(x);
        Tensor y = (x + bias.reshape(shape)) * logScale.exp().reshape(shape);
        return (y, (logScale.sum() * Positions(x)).expand(x.size(0)));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        long[] shape = ChannelShape(y);
        Tensor x = y * (-logScale).exp().reshape(shape) - bias.reshape(shape);
        return (x, (-logScale.sum() * Positions(y)).expand(y.size(0)));
    }

    private void Initialize(Tensor x)
    {
        using var _ = no_grad();
        long[] reduce = x.dim() == 4 ? [0, 2, 3] : [0];
        Tensor mean = x.mean(reduce);
        Tensor std = (x - mean.reshape(ChannelShape(x))).square().mean(reduce).sqrt();
        bias.copy_(-mean);
        logScale.copy_(-(std + 1e-6).log());
        initialized.fill_(1);
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// Batch normalization as a bijector (RealNVP, arXiv:1605.08803, §3.7; MAF, arXiv:1705.07057, §3.4):
/// <c>y = exp(γ)·(x − μ)/√(σ² + ε) + β</c>, <c>log|det J| = Σ γ − ½ log(σ² + ε)</c>.
/// </summary>
/// <remarks>
/// In training the batch statistics are used and the running averages are updated in place (buffers, so a
/// checkpoint keeps them); in evaluation, and always in the inverse direction, the running averages are used.
/// Vector data only (<c>[B, D]</c>).
/// </remarks>
public sealed class BatchNormBijector : Bijector
{
    private readonly Parameter logGamma;
    private readonly Parameter beta;
    private readonly Tensor runningMean;
    private readonly Tensor runningVar;
    private readonly double momentum;
    private readonly double eps;

    /// <summary>A batch-norm bijector over <paramref name="features"/> features.</summary>
    public BatchNormBijector(int features, double momentum = 0.05, double eps = 1e-5) : base(nameof(BatchNormBijector))
    {
        logGamma = new Parameter(zeros(features));
        beta = new Parameter(zeros(features));
        runningMean = zeros(features);
        runningVar = ones(features);
        this.momentum = momentum;
        this.eps = eps;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        Tensor mean, variance;
        if (training)
        {
            mean = x.mean([0]);
            variance = x.var(0, unbiased: false);
            using (no_grad())
            {
                runningMean.mul_(1 - momentum).add_(mean.detach(), alpha: momentum);
                runningVar.mul_(1 - momentum).add_(variance.detach(), alpha: momentum);
            }
        }
        else
        {
            mean = runningMean;
            variance = runningVar;
        }
        Tensor y = (x - mean) * (variance + eps).rsqrt() * logGamma.exp() + beta;
        Tensor logDet = (logGamma - 0.5 * (variance + eps).log()).sum();
        return (y, logDet.expand(x.size(0)));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        Tensor x = (y - beta) * (-logGamma).exp() * (runningVar + eps).sqrt() + runningMean;
        Tensor logDet = -(logGamma - 0.5 * (runningVar + eps).log()).sum();
        return (x, logDet.expand(y.size(0)));
    }
}

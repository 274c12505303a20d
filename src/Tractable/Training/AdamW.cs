using TorchSharp;
using TorchSharp.Modules;

namespace Tractable.Training;

/// <summary>
/// Adam with decoupled weight decay, <c>θ ← θ(1 − lr·λ)</c> before the Adam step (Loshchilov &amp; Hutter 2019,
/// arXiv:1711.05101), over one flat buffer (see <see cref="FlatAdam"/>): the same updates as <c>torch.optim.AdamW</c>.
/// Its state files are those of TorchSharp's <c>AdamW</c>, so checkpoints written with that optimizer resume here.
/// </summary>
public sealed class AdamW : FlatAdam
{
    /// <summary>An optimizer of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to optimize (re-pointed into the optimizer's buffer).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">Decay of the first moment.</param>
    /// <param name="beta2">Decay of the second moment.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay λ (0.01 as in PyTorch and TorchSharp; 0 turns it off).</param>
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0.01)
        : base(parameters, Options(lr, beta1, beta2, eps, weightDecay), decoupled: true) { }

    private static TorchSharp.Modules.AdamW.Options Options(double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        Check(lr, beta1, beta2, eps, weightDecay);
        return new() { LearningRate = lr, InitialLearningRate = lr, beta1 = beta1, beta2 = beta2, eps = eps, weight_decay = weightDecay, amsgrad = false, maximize = false };
    }

    private protected override (double, double, double, double, double) Hyperparameters(OptimizerOptions options)
    {
        var o = (TorchSharp.Modules.AdamW.Options)options;
        return (o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value);
    }
}

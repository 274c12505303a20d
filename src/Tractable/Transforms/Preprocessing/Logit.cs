using static TorchSharp.torch;

namespace Tractable.Transforms.Preprocessing;

/// <summary>
/// The logit transform of data in [0, 1]: <c>p = α + (1 − 2α)·x</c>, <c>y = log p − log(1 − p)</c>, with
/// <c>log|dy/dx| = log(1 − 2α) − log p − log(1 − p)</c> per element. α keeps the boundary finite
/// (RealNVP, arXiv:1605.08803, §4.1, uses α = 0.05; MAF, arXiv:1705.07057, §4.2, uses λ = 10⁻⁶).
/// </summary>
public sealed class Logit : Bijector
{
    private readonly double alpha;

    /// <summary>A logit transform with boundary margin <paramref name="alpha"/> in [0, 0.5).</summary>
    public Logit(double alpha) : base(nameof(Logit))
    {
        if (alpha is < 0 or >= 0.5) throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be in [0, 0.5).");
        this.alpha = alpha;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        Tensor p = alpha + (1 - 2 * alpha) * x;
        Tensor logP = p.log(), log1mP = (1 - p).log();
        return (logP - log1mP, SumPerExample(Math.Log(1 - 2 * alpha) - logP - log1mP));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        // log σ(y) = −softplus(−y) and log(1 − σ(y)) = −softplus(y): stable for large |y|.
        Tensor logP = -nn.functional.softplus(-y), log1mP = -nn.functional.softplus(y);
        Tensor x = (nn.functional.sigmoid(y) - alpha) / (1 - 2 * alpha);
        return (x, SumPerExample(logP + log1mP - Math.Log(1 - 2 * alpha)));
    }
}

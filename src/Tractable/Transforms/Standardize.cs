using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// Fixed standardization <c>y = (x − μ)/σ</c> with <c>log|det J| = −Σ log σ</c>, placed first in a flow so that
/// the model's log-likelihood is in the units of the original data. μ and σ are buffers set once from the
/// training data (<see cref="Fit"/>) and saved with the model.
/// </summary>
public sealed class Standardize : Bijector
{
    private readonly Tensor mean;
    private readonly Tensor std;

    /// <summary>An identity standardization over <paramref name="features"/> features until <see cref="Fit"/> is called.</summary>
    public Standardize(int features) : base(nameof(Standardize))
    {
        mean = zeros(features);
        std = ones(features);
        RegisterComponents();
    }

    /// <summary>Sets μ and σ from <paramref name="data"/> <c>[N, D]</c>; constant features keep σ = 1.</summary>
    public void Fit(Tensor data)
    {
        using var _ = no_grad();
        Tensor s = data.std(0);
        mean.copy_(data.mean([0]));
        std.copy_(where(s > 1e-8, s, ones_like(s)));
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        ((x - mean) / std, (-std.log().sum()).expand(x.size(0)));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) =>
        (y * std + mean, std.log().sum().expand(y.size(0)));
}

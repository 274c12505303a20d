using static TorchSharp.torch;

namespace Tractable.Distributions;

/// <summary>
/// The standard logistic density used by NICE (Dinh et al. 2014, arXiv:1410.8516, eq. in §3.4):
/// <c>log p(z) = Σ -z - 2·softplus(-z)</c>, i.e. <c>-log(1+e^z) - log(1+e^-z)</c> in a stable form.
/// </summary>
public sealed class StandardLogistic : Distribution
{
    private readonly Tensor anchor;

    /// <summary>A standard logistic over events of shape <paramref name="eventShape"/>.</summary>
    public StandardLogistic(params long[] eventShape) : base(nameof(StandardLogistic), eventShape)
    {
        anchor = zeros(0);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor? context = null) =>
        SumEvent(-x - 2 * nn.functional.softplus(-x));

    /// <inheritdoc />
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0)
    {
        // Inverse CDF: z = log u - log(1-u), u ~ U(0,1), kept away from 0 and 1.
        Tensor u = rand(BatchShape(n), dtype: anchor.dtype, device: anchor.device, generator: generator)
            .clamp_(1e-6, 1 - 1e-6);
        return (u.log() - (1 - u).log()).mul_(temperature);
    }
}

using static TorchSharp.torch;

namespace Tractable.Distributions;

/// <summary>The standard normal N(0, I): <c>log p(z) = -½‖z‖² - (D/2) log 2π</c>.</summary>
public sealed class StandardNormal : Distribution
{
    private readonly Tensor anchor; // a zero-size buffer that follows the module across devices and dtypes

    /// <summary>A standard normal over events of shape <paramref name="eventShape"/>.</summary>
    public StandardNormal(params long[] eventShape) : base(nameof(StandardNormal), eventShape)
    {
        anchor = zeros(0);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor? context = null) =>
        SumEvent(x.square().mul(-0.5) - Gaussian.HalfLog2Pi);

    /// <inheritdoc />
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0) =>
        randn(BatchShape(n), dtype: anchor.dtype, device: anchor.device, generator: generator).mul_(temperature);
}

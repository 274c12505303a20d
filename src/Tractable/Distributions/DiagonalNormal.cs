using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Distributions;

/// <summary>
/// A normal with learnable mean and diagonal scale: <c>log p(z) = Σ -½((z-μ)/σ)² - log σ - ½ log 2π</c>,
/// with <c>σ = exp(logScale)</c>. Starts as the standard normal.
/// </summary>
public sealed class DiagonalNormal : Distribution
{
    private readonly Parameter loc;
    private readonly Parameter logScale;

    /// <summary>A learnable diagonal normal over events of shape <paramref name="eventShape"/>.</summary>
    public DiagonalNormal(params long[] eventShape) : base(nameof(DiagonalNormal), eventShape)
    {
        loc = new Parameter(zeros(eventShape));
        logScale = new Parameter(zeros(eventShape));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor? context = null) => SumEvent(Gaussian.LogDensity(x, loc, logScale));

    /// <inheritdoc />
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0) =>
        Gaussian.Sample(loc.expand(BatchShape(n)), logScale.expand(BatchShape(n)), generator, temperature);
}

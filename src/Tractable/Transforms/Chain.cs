using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// The composition of bijectors, applied in order in the forward (data to noise) direction and in reverse order
/// in the inverse direction; log-determinants add (chain rule).
/// </summary>
public sealed class Chain : Bijector
{
    private readonly TorchSharp.Modules.ModuleList<Bijector> steps;

    /// <summary>Composes <paramref name="steps"/>; the first is applied first to data.</summary>
    public Chain(IEnumerable<Bijector> steps) : base(nameof(Chain))
    {
        this.steps = nn.ModuleList(steps.ToArray());
        RegisterComponents();
    }

    /// <summary>The composed bijectors, data side first.</summary>
    public IReadOnlyList<Bijector> Steps => steps.ToArray();

    /// <inheritdoc />
    public override BijectorDirections Directions =>
        steps.Aggregate(BijectorDirections.Both, (d, s) => d & s.Directions);

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        Tensor total = zeros(x.size(0), dtype: x.dtype, device: x.device);
        Tensor h = x;
        foreach (Bijector step in steps)
        {
            (h, Tensor ld) = step.Forward(h, context);
            total = total + ld;
        }
        return (h, total);
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        Tensor total = zeros(y.size(0), dtype: y.dtype, device: y.device);
        Tensor h = y;
        for (int i = steps.Count - 1; i >= 0; i--)
        {
            (h, Tensor ld) = steps[i].Inverse(h, context);
            total = total + ld;
        }
        return (h, total);
    }
}

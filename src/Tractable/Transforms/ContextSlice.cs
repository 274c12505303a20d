using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// Gives a bijector its own columns of a shared context: the steps of a <see cref="Chain"/> all receive the same
/// context, and an encoder emits the parameters of every amortized step side by side in one vector.
/// </summary>
public sealed class ContextSlice : Bijector
{
    private readonly Bijector inner;

    /// <summary>Passes context columns <c>[offset, offset + width)</c> to <paramref name="inner"/>.</summary>
    public ContextSlice(Bijector inner, int offset, int width) : base(nameof(ContextSlice))
    {
        if (offset < 0 || width < 1) throw new ArgumentOutOfRangeException(nameof(width), "A context slice needs offset ≥ 0 and width ≥ 1.");
        this.inner = inner;
        Offset = offset;
        Width = width;
        RegisterComponents();
    }

    /// <summary>The first context column.</summary>
    public int Offset { get; }

    /// <summary>The number of context columns.</summary>
    public int Width { get; }

    /// <summary>The wrapped bijector.</summary>
    public Bijector Inner => inner;

    /// <inheritdoc />
    public override BijectorDirections Directions => inner.Directions;

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) => inner.Forward(x, Slice(context));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) => inner.Inverse(y, Slice(context));

    private Tensor Slice(Tensor? context) =>
        context is not null && context.size(-1) >= Offset + Width
            ? context.narrow(-1, Offset, Width)
            : throw new ArgumentException($"This step reads context columns {Offset}..{Offset + Width - 1}; the context has {context?.size(-1) ?? 0}.");
}

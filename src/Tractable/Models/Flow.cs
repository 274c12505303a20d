using Tractable.Distributions;
using Tractable.Transforms;
using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>
/// A normalizing flow: a bijector from data to noise and a base density, with
/// <c>log p(x) = log p_Z(T(x)) + log|det ∂T/∂x|</c> (change of variables) and sampling <c>x = T⁻¹(z)</c>.
/// </summary>
public sealed class Flow : DensityModel, IClassConditional
{
    private readonly Bijector transform;
    private readonly Distribution @base;

    /// <summary>A flow with <paramref name="transform"/> (data to noise) over <paramref name="baseDistribution"/>.</summary>
    public Flow(ModelConfig config, Bijector transform, Distribution baseDistribution) : base(nameof(Flow), config)
    {
        this.transform = transform;
        @base = baseDistribution;
        RegisterComponents();
    }

    /// <summary>The data-to-noise bijector.</summary>
    public Bijector Transform => transform;

    /// <summary>The base density.</summary>
    public Distribution Base => @base;

    /// <summary>For a class-conditional flow, the number of classes (the context is the one-hot label); 0 otherwise.</summary>
    public int LabelClasses { get; init; }

    /// <inheritdoc />
    int IClassConditional.NumClasses => LabelClasses;

    /// <inheritdoc />
    public override Tensor? ContextFromLabels(Tensor labels) =>
        ClassContext.OneHot(labels, LabelClasses, ParameterDtype);

    /// <inheritdoc />
    public override bool SupportsLogProb => transform.Directions.HasFlag(BijectorDirections.Forward);

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor? context = null)
    {
        (Tensor z, Tensor logDet) = transform.Forward(x, context);
        return @base.LogProb(z, context) + logDet;
    }

    /// <inheritdoc />
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0) =>
        transform.Inverse(@base.Sample(n, context, generator, temperature), context).x;

    /// <summary>
    /// Draws <paramref name="n"/> samples with their log-density, <c>log q(x) = log p_Z(z) − log|det ∂T⁻¹/∂z|</c>,
    /// in one pass; this is what reverse-KL fitting needs and works for planar and radial flows too.
    /// </summary>
    public (Tensor x, Tensor logProb) SampleWithLogProb(long n, Tensor? context = null, Generator? generator = null)
    {
        Tensor z = @base.Sample(n, context, generator);
        (Tensor x, Tensor logDet) = transform.Inverse(z, context);
        return (x, @base.LogProb(z, context) - logDet);
    }

    /// <inheritdoc />
    public override void InitializeFromData(Tensor x, Tensor? context = null)
    {
        foreach (var s in transform.modules().OfType<Standardize>()) s.Fit(x);
    }
}

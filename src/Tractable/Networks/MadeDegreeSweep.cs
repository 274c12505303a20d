using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// Evaluates a <see cref="Made"/> one input degree at a time, computing every hidden unit once: the inverse of a
/// masked autoregressive layer in the work of one pass instead of D (MAF, Papamakarios et al. 2017, §3.1, samples in
/// D passes). A hidden unit of degree d reads only inputs of degree ≤ d (Germain et al. 2015, eq. 13), so it is final
/// as soon as those inputs are; the outputs of the feature of degree k read only units of degree &lt; k.
/// </summary>
/// <remarks>
/// Hidden degrees are non-decreasing, so the units fixed after degree d are a prefix of every hidden layer, and the
/// weights among fixed units are all open: each step is a dense block of the unmasked weights. The values equal the
/// masked passes' up to the order of their sums. Call <see cref="ParametersOf"/>, then <see cref="Reveal"/>, for the
/// features in <see cref="FeaturesInDegreeOrder"/>.
/// </remarks>
internal sealed class MadeDegreeSweep : IDisposable
{
    private readonly Made made;
    private readonly long batch;
    private readonly int blocks;
    private readonly int[] unitsUpTo;           // unitsUpTo[d]: hidden units of degree ≤ d, d = 0 … D
    private readonly Tensor firstWeight;        // [H, D], columns in degree order
    private readonly Tensor outputWeight;       // [P·D, H], the P rows of the feature of degree k at (k − 1)·P
    private readonly Tensor outputBias;
    private readonly Tensor? contextInput;      // [B, H]
    private readonly Tensor? contextOutput;     // [B, P·D], columns as outputWeight's rows
    private readonly Prefix inputs = new();
    private readonly Prefix[] units;
    private int revealed;

    /// <summary>Starts a sweep over a batch of <paramref name="batch"/> rows (and their context, if conditional).</summary>
    public MadeDegreeSweep(Made made, Tensor? context, long batch)
    {
        if (made.ContextFeatures > 0 && context is null) throw new ArgumentException("This MADE is conditional: a context is required.");
        this.made = made;
        this.batch = batch;
        int d = made.Features;
        blocks = made.OutputsPerFeature;
        FeaturesInDegreeOrder = Enumerable.Range(0, d).OrderBy(i => made.InputDegrees[i]).ToArray();
        unitsUpTo = Enumerable.Range(0, d + 1).Select(k => made.HiddenUnitDegrees.Count(u => u <= k)).ToArray();
        IReadOnlyList<MaskedLinear> layers = made.Layers;
        Device device = layers[0].Weight.device;
        firstWeight = layers[0].Weight.index_select(1, tensor(FeaturesInDegreeOrder.Select(i => (long)i).ToArray(), device: device));
        Tensor rows = tensor(FeaturesInDegreeOrder.SelectMany(i => Enumerable.Range(0, blocks).Select(m => (long)(m * d + i))).ToArray(), device: device);
        outputWeight = layers[^1].Weight.index_select(0, rows);
        outputBias = layers[^1].Bias.index_select(0, rows);
        contextInput = context is null ? null : made.ContextInput?.forward(context);
        contextOutput = context is null ? null : made.ContextOutput?.forward(context).index_select(1, rows);
        units = Enumerable.Range(0, layers.Count - 1).Select(_ => new Prefix()).ToArray();
    }

    /// <summary>The features by increasing degree: the order of the sweep.</summary>
    public int[] FeaturesInDegreeOrder { get; }

    /// <summary>The network's outputs <c>[B, P]</c> for the next feature in degree order (its P parameter blocks).</summary>
    public Tensor ParametersOf(int feature)
    {
        if (feature != FeaturesInDegreeOrder[revealed]) throw new InvalidOperationException("Features must be swept in degree order.");
        Tensor bias = outputBias.narrow(0, (long)revealed * blocks, blocks);
        Tensor parameters = unitsUpTo[revealed] == 0
            ? bias.expand(batch, blocks)
            : addmm(bias, units[^1].Value!, outputWeight.narrow(0, (long)revealed * blocks, blocks).narrow(1, 0, unitsUpTo[revealed]).t(), 1, 1);
        return contextOutput is null ? parameters : parameters + contextOutput.narrow(1, (long)revealed * blocks, blocks);
    }

    /// <summary>Fixes the next feature in degree order to <paramref name="value"/> <c>[B, 1]</c> and computes the hidden units of its degree.</summary>
    public void Reveal(Tensor value)
    {
        inputs.Append(value);
        int degree = ++revealed;
        long start = unitsUpTo[degree - 1], count = unitsUpTo[degree] - start;
        if (count == 0) return;
        IReadOnlyList<MaskedLinear> layers = made.Layers;
        Tensor pre = addmm(layers[0].Bias.narrow(0, start, count), inputs.Value!, firstWeight.narrow(0, start, count).narrow(1, 0, degree).t(), 1, 1);
        if (contextInput is not null) pre = pre + contextInput.narrow(1, start, count);
        units[0].Append(made.HiddenActivation.forward(pre));
        for (int l = 1; l < units.Length; l++)
        {
            Tensor weight = layers[l].Weight.narrow(0, start, count).narrow(1, 0, unitsUpTo[degree]);
            units[l].Append(made.HiddenActivation.forward(addmm(layers[l].Bias.narrow(0, start, count), units[l - 1].Value!, weight.t(), 1, 1)));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        inputs.Dispose();
        foreach (Prefix prefix in units) prefix.Dispose();
    }

    /// <summary>
    /// The columns fixed so far, <c>[B, n]</c>, held outside any dispose scope so that a caller may dispose each step's
    /// temporaries; a replaced value's handle is disposed (autograd keeps what it saved).
    /// </summary>
    private sealed class Prefix : IDisposable
    {
        public Tensor? Value { get; private set; }

        public void Append(Tensor columns)
        {
            Tensor? old = Value;
            Value = (old is null ? columns.alias() : cat([old, columns], 1)).DetachFromDisposeScope();
            old?.Dispose();
        }

        public void Dispose() => Value?.Dispose();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// MADE, the masked autoencoder for distribution estimation (Germain et al. 2015, arXiv:1502.03509): an MLP whose
/// output block for feature i depends only on the inputs that precede i in the order. Every mask comes from
/// degrees (§4): input j has degree <c>m(j)</c> (its 1-based position in the order), hidden unit k a degree in
/// <c>[1, D−1]</c>; a hidden connection is kept when <c>m(k) ≥ m(j)</c> (eq. 12), an output connection when
/// <c>m(out) &gt; m(k)</c> (eq. 13).
/// </summary>
/// <remarks>
/// Output layout: <c>outputsPerFeature</c> blocks of D columns, block p column i belonging to feature i, as
/// <see cref="Transforms.Elementwise.ElementwiseMap"/> expects. A context vector (conditional MADE, as in MAF's
/// conditional models, arXiv:1705.07057 §3.4) feeds the first hidden layer and, directly, the output layer, both
/// without masks: every output may see it, including the first feature's, which sees no hidden unit.
/// </remarks>
public sealed class Made : ConditionerNetwork
{
    private readonly ModuleList<MaskedLinear> hidden;
    private readonly MaskedLinear output;
    private readonly Linear? contextInput;
    private readonly Linear? contextOutput;
    private readonly nn.Module<Tensor, Tensor> activation;

    /// <summary>Builds the network.</summary>
    /// <param name="features">The data dimension D.</param>
    /// <param name="outputsPerFeature">Parameters produced per feature.</param>
    /// <param name="hiddenFeatures">Units per hidden layer.</param>
    /// <param name="hiddenLayers">Number of hidden layers (at least 1).</param>
    /// <param name="inputDegrees">The degree (1..D) of each input, e.g. from <see cref="Degrees"/>.</param>
    /// <param name="contextFeatures">Features of the context vector, 0 for none.</param>
    /// <param name="activation">The hidden non-linearity.</param>
    /// <param name="zeroInitOutput">Whether the output layer starts at zero.</param>
    public Made(int features, int outputsPerFeature, int hiddenFeatures, int hiddenLayers, int[] inputDegrees,
        int contextFeatures = 0, Activation activation = Activation.Relu, bool zeroInitOutput = true) : base(nameof(Made))
    {
        if (hiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), "MADE needs at least one hidden layer.");
        if (inputDegrees.Length != features || !inputDegrees.Order().SequenceEqual(Enumerable.Range(1, features)))
            throw new ArgumentException("The input degrees must be a permutation of 1..D.", nameof(inputDegrees));
        Features = features;
        ContextFeatures = contextFeatures;
        InputDegrees = inputDegrees;

        int[] hiddenDegrees = HiddenUnitDegrees = HiddenDegrees(features, hiddenFeatures);
        var layers = new List<MaskedLinear>();
        int[] previous = inputDegrees;
        for (int l = 0; l < hiddenLayers; l++)
        {
            layers.Add(new MaskedLinear(Connect(hiddenDegrees, previous, strict: false)));
            previous = hiddenDegrees;
        }
        int[] outputDegrees = Enumerable.Repeat(inputDegrees, outputsPerFeature).SelectMany(d => d).ToArray();
        hidden = nn.ModuleList(layers.ToArray());
        output = new MaskedLinear(Connect(outputDegrees, previous, strict: true), zeroInitOutput);
        contextInput = contextFeatures > 0 ? nn.Linear(contextFeatures, hiddenFeatures) : null;
        contextOutput = contextFeatures > 0 ? nn.Linear(contextFeatures, outputDegrees.Length, hasBias: false) : null;
        if (contextOutput is not null && zeroInitOutput)
        {
            using var _ = no_grad();
            contextOutput.weight!.zero_();
        }
        this.activation = ActivationModules.Create(activation, overwritesInput: true);
        RegisterComponents();
    }

    /// <summary>The data dimension D.</summary>
    public int Features { get; }

    /// <summary>Features of the context vector (0 for none).</summary>
    public int ContextFeatures { get; }

    /// <summary>The degree of each input: feature i is the <c>InputDegrees[i]</c>-th in the autoregressive order.</summary>
    public int[] InputDegrees { get; }

    /// <summary>The masked layers, input side first (for tests of the connectivity).</summary>
    public IReadOnlyList<MaskedLinear> Layers => [.. hidden, output];

    /// <summary>The degree of each hidden unit, the same in every hidden layer and non-decreasing.</summary>
    internal int[] HiddenUnitDegrees { get; }

    /// <summary>Outputs per feature: the number of parameter blocks.</summary>
    internal int OutputsPerFeature => (int)(output.Mask.size(0) / Features);

    /// <summary>The hidden non-linearity.</summary>
    internal nn.Module<Tensor, Tensor> HiddenActivation => activation;

    /// <summary>The context's term in the first hidden layer, if conditional.</summary>
    internal Linear? ContextInput => contextInput;

    /// <summary>The context's term in the outputs, if conditional.</summary>
    internal Linear? ContextOutput => contextOutput;

    /// <summary>
    /// Input degrees for an order: natural (1..D), reversed (D..1) or random (a permutation drawn from
    /// <paramref name="seed"/>, so that a saved configuration rebuilds it).
    /// </summary>
    public static int[] Degrees(FeatureOrder order, int features, long seed = 0)
    {
        int[] natural = Enumerable.Range(1, features).ToArray();
        switch (order)
        {
            case FeatureOrder.Natural: return natural;
            case FeatureOrder.Reversed: return natural.Reverse().ToArray();
            case FeatureOrder.Random:
                new Random(unchecked((int)seed)).Shuffle(natural);
                return natural;
            default: throw new ArgumentOutOfRangeException(nameof(order), order, "Not a feature order.");
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Where no gradient is recorded, the hidden layers write <see cref="HiddenBuffers"/> in turn, as
    /// <see cref="Mlp"/>'s do.
    /// </remarks>
    public override Tensor Forward(Tensor x, Tensor? context = null)
    {
        if (ContextFeatures > 0 && context is null) throw new ArgumentException("This MADE is conditional: a context is required.");
        bool lent = !Recorded(x) && x.dim() == 2;
        Tensor h = hidden[0].Forward(x, lent ? HiddenBuffers.Rent(0, x.size(0), HiddenUnitDegrees.Length, x) : null);
        if (ContextFeatures == 0) return output.forward(Body(h, lent));
        return output.forward(Body(h + contextInput!.forward(context!), lent)) + contextOutput!.forward(context!);
    }

    /// <summary>
    /// Whether autograd records this pass through any layer: then no layer writes the buffers, since an activation
    /// saved for a recorded layer's backward must outlive the next pass (a network whose first layers are frozen
    /// would otherwise find its saved input overwritten by a second forward pass before the backward).
    /// </summary>
    private bool Recorded(Tensor x)
    {
        if (!is_grad_enabled()) return false;
        if (x.requires_grad || output.RequiresGrad || hidden.Any(layer => layer.RequiresGrad)) return true;
        return contextInput?.weight!.requires_grad == true || contextInput?.bias!.requires_grad == true ||
               contextOutput?.weight!.requires_grad == true;
    }

    /// <summary>
    /// The activations from the first hidden layer's pre-activation to the last hidden layer's output, the layers
    /// after the first writing the buffers in turn when <paramref name="lent"/>.
    /// </summary>
    private Tensor Body(Tensor firstPreActivation, bool lent)
    {
        Tensor h = activation.forward(firstPreActivation);
        for (int l = 1; l < hidden.Count; l++)
            h = activation.forward(hidden[l].Forward(h, lent ? HiddenBuffers.Rent(l % 2, h.size(0), HiddenUnitDegrees.Length, h) : null));
        return h;
    }

    /// <summary>
    /// Hidden degrees spread evenly over <c>[1, D−1]</c> (deterministic, unlike the paper's random draw), so every
    /// degree is present when the layer is at least D−1 wide and no input is cut off when it is narrower.
    /// </summary>
    private static int[] HiddenDegrees(int features, int units) =>
        Enumerable.Range(0, units).Select(k => features <= 1 ? 1 : 1 + (int)((long)k * (features - 1) / units)).ToArray();

    /// <summary>The mask <c>[out, in]</c>: <c>m(out) ≥ m(in)</c>, or <c>&gt;</c> when <paramref name="strict"/>.</summary>
    private static Tensor Connect(int[] outDegrees, int[] inDegrees, bool strict)
    {
        Tensor o = tensor(outDegrees).unsqueeze(1), i = tensor(inDegrees).unsqueeze(0);
        return (strict ? o.gt(i) : o.ge(i)).to(float32);
    }
}

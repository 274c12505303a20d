using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// A fully connected network <c>in (+ context) → hidden × layers → out</c>. The context, when given, is
/// concatenated to the input. With <c>zeroInitOutput</c> the last layer starts at zero, so a coupling layer
/// built on it starts as the identity (Glow, Kingma &amp; Dhariwal 2018, §3.3).
/// </summary>
public sealed class Mlp : ConditionerNetwork
{
    private readonly Sequential body;

    /// <summary>Builds the network.</summary>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="hiddenFeatures">Width of each hidden layer.</param>
    /// <param name="hiddenLayers">Number of hidden layers (at least 1).</param>
    /// <param name="contextFeatures">Features of the context vector, 0 for none.</param>
    /// <param name="activation">The hidden non-linearity.</param>
    /// <param name="zeroInitOutput">Whether the output layer starts at zero.</param>
    public Mlp(int inFeatures, int outFeatures, int hiddenFeatures, int hiddenLayers, int contextFeatures = 0,
        Activation activation = Activation.Relu, bool zeroInitOutput = true) : base(nameof(Mlp))
    {
        if (hiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), "An MLP needs at least one hidden layer.");
        ContextFeatures = contextFeatures;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inFeatures + contextFeatures;
        for (int i = 0; i < hiddenLayers; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(width, hiddenFeatures)));
            layers.Add(($"act{i}", ActivationModules.Create(activation, overwritesInput: true)));
            width = hiddenFeatures;
        }
        Linear output = nn.Linear(width, outFeatures);
        if (zeroInitOutput)
        {
            using var _ = no_grad();
            output.weight!.zero_();
            output.bias!.zero_();
        }
        layers.Add(("output", output));
        body = nn.Sequential(layers);
        RegisterComponents();
    }

    /// <summary>Features of the context vector this network expects (0 for none).</summary>
    public int ContextFeatures { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, Tensor? context = null)
    {
        if (ContextFeatures > 0)
        {
            if (context is null) throw new ArgumentException("This network is conditional: a context is required.");
            return body.forward(cat([x, context], 1));
        }
        return body.forward(x);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// A fully connected network <c>in (+ context) → hidden × layers → out</c>. The context, when given, is
/// concatenated to the input. With <c>zeroInitOutput</c> the last layer starts at zero, so a coupling layer
/// built on it starts as the identity (Glow, Kingma &amp; Dhariwal 2018, §3.3).
/// </summary>
/// <remarks>
/// Where no gradient is recorded, the hidden layers write <see cref="HiddenBuffers"/> in turn: the networks of a flow's
/// couplings then share two activations that stay in the core's cache (docs/benchmarks.md).
/// </remarks>
public sealed class Mlp : ConditionerNetwork
{
    private readonly Sequential body;      // the modules by name, for the state dict
    private readonly (Linear Linear, nn.Module<Tensor, Tensor> Activation)[] hidden;   // the same modules, in arrays
    private readonly Linear[] output;                                                  // that register nothing

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
        hidden = new (Linear, nn.Module<Tensor, Tensor>)[hiddenLayers];
        int width = inFeatures + contextFeatures;
        for (int i = 0; i < hiddenLayers; i++)
        {
            hidden[i] = (nn.Linear(width, hiddenFeatures), ActivationModules.Create(activation, overwritesInput: true));
            layers.Add(($"linear{i}", hidden[i].Linear));
            layers.Add(($"act{i}", hidden[i].Activation));
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
        this.output = [output];
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
            x = cat([x, context], 1);
        }
        if (Recorded(x)) return body.forward(x);
        Tensor h = x;
        for (int i = 0; i < hidden.Length; i++)
        {
            (Linear linear, nn.Module<Tensor, Tensor> activation) = hidden[i];
            Tensor? buffer = h.dim() == 2 ? HiddenBuffers.Rent(i % 2, h.size(0), linear.weight!.size(0), h) : null;
            if (WideLinear.Applies(linear, h))
                h = activation.forward(WideLinear.Write(linear, h, buffer ?? empty(h.size(0), linear.weight!.size(0), ScalarType.Float32)));
            else
                // The bias copied in, then the product added: what libtorch's linear does, into memory written before.
                h = activation.forward(buffer is null ? linear.forward(h) : buffer.copy_(linear.bias!.expand(TensorSizes.Of(buffer))).addmm_(h, linear.weight!.t(), 1, 1));
        }
        return output[0].forward(h);
    }

    /// <summary>Whether autograd records this pass: then every layer's output is fresh, kept for the backward pass.</summary>
    private bool Recorded(Tensor x)
    {
        if (!is_grad_enabled()) return false;
        if (x.requires_grad || output[0].weight!.requires_grad || output[0].bias!.requires_grad) return true;
        foreach ((Linear linear, _) in hidden)
            if (linear.weight!.requires_grad || linear.bias!.requires_grad) return true;
        return false;
    }
}

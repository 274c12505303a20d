using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Latent;

/// <summary>
/// A fully connected encoder or decoder between shaped tensors: <c>[B, ...in] → flatten → MLP → [B, ...outShape]</c>
/// (the setting of Rezende &amp; Mohamed 2015, arXiv:1505.05770, §6). With no hidden layers it is one linear map.
/// </summary>
public sealed class MlpCoder : nn.Module<Tensor, Tensor>
{
    private readonly Mlp? mlp;
    private readonly Linear? linear;
    private readonly long[] outShape;

    /// <summary>Builds the network.</summary>
    /// <param name="inFeatures">Features of one flattened input.</param>
    /// <param name="outShape">The shape of one output.</param>
    /// <param name="hiddenFeatures">Width of each hidden layer.</param>
    /// <param name="hiddenLayers">Number of hidden layers (0: a linear map).</param>
    /// <param name="activation">The hidden non-linearity.</param>
    public MlpCoder(int inFeatures, long[] outShape, int hiddenFeatures, int hiddenLayers, Activation activation = Activation.Relu) : base(nameof(MlpCoder))
    {
        if (hiddenLayers < 0) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), "The number of hidden layers cannot be negative.");
        int outFeatures = (int)outShape.Aggregate(1L, (a, b) => a * b);
        if (hiddenLayers == 0) linear = nn.Linear(inFeatures, outFeatures);
        else mlp = new Mlp(inFeatures, outFeatures, hiddenFeatures, hiddenLayers, activation: activation, zeroInitOutput: false);
        this.outShape = outShape;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        Tensor flat = x.flatten(1);
        Tensor y = linear is not null ? linear.forward(flat) : mlp!.Forward(flat);
        return y.view([x.size(0), .. outShape]);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// A network that maps an input and an optional context to the parameters of an element-wise map
/// (the "conditioner" of coupling and autoregressive layers; Distrax's masked coupling separates the two).
/// </summary>
public abstract class ConditionerNetwork : nn.Module
{
    /// <summary>Creates a conditioner; <paramref name="name"/> names the module in state dicts.</summary>
    protected ConditionerNetwork(string name) : base(name) { }

    /// <summary>Computes the parameters for input <paramref name="x"/> under <paramref name="context"/>.</summary>
    public abstract Tensor Forward(Tensor x, Tensor? context = null);
}

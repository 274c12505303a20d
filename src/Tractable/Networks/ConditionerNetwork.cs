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

    /// <summary>
    /// Whether <see cref="ForwardFromPrefix"/> may answer; false (the default) spares the caller any work for it.
    /// </summary>
    public virtual bool ReadsPrefixes => false;

    /// <summary>
    /// The output channels <paramref name="outputs"/> of <see cref="Forward"/> for an input whose channels past those
    /// of <paramref name="prefix"/> are zero, computed from <paramref name="prefix"/> alone; or null where the network
    /// cannot, and the caller runs <see cref="Forward"/> on the whole input. A coupling whose mask keeps a prefix of
    /// the channels needs only the parameters of the other channels, and the zero channels add nothing to any output.
    /// </summary>
    /// <param name="prefix">The input's first channels <c>[N, k, …]</c>.</param>
    /// <param name="outputs">The indices of the output channels wanted (int64), in the order returned.</param>
    /// <param name="context">The context, as for <see cref="Forward"/>.</param>
    public virtual Tensor? ForwardFromPrefix(Tensor prefix, Tensor outputs, Tensor? context = null) => null;
}

using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>The module of each <see cref="Activation"/>.</summary>
public static class ActivationModules
{
    /// <summary>Creates the module computing <paramref name="activation"/>.</summary>
    /// <param name="activation">The non-linearity.</param>
    /// <param name="overwritesInput">Whether a ReLU may overwrite its input (the fresh output of a linear layer,
    /// which autograd does not keep), saving an allocation per call; the others always return a new tensor.</param>
    public static nn.Module<Tensor, Tensor> Create(Activation activation, bool overwritesInput = false) => activation switch
    {
        Activation.Relu => nn.ReLU(inplace: overwritesInput),
        Activation.Tanh => nn.Tanh(),
        Activation.Elu => nn.ELU(),
        Activation.Gelu => nn.GELU(),
        Activation.Silu => nn.SiLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not an activation."),
    };
}

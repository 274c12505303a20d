using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>The module of each <see cref="Activation"/>.</summary>
public static class ActivationModules
{
    /// <summary>Creates the module computing <paramref name="activation"/>.</summary>
    public static nn.Module<Tensor, Tensor> Create(Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.Tanh => nn.Tanh(),
        Activation.Elu => nn.ELU(),
        Activation.Gelu => nn.GELU(),
        Activation.Silu => nn.SiLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not an activation."),
    };
}

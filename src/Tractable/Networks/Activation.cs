using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>The hidden-layer non-linearities a configuration may name.</summary>
public static class Activation
{
    /// <summary>The names accepted by <see cref="Create"/>.</summary>
    public static readonly string[] Names = ["relu", "tanh", "elu", "gelu", "silu"];

    /// <summary>Creates the activation module called <paramref name="name"/>.</summary>
    public static nn.Module<Tensor, Tensor> Create(string name) => name.ToLowerInvariant() switch
    {
        "relu" => nn.ReLU(),
        "tanh" => nn.Tanh(),
        "elu" => nn.ELU(),
        "gelu" => nn.GELU(),
        "silu" => nn.SiLU(),
        _ => throw new ArgumentException($"Unknown activation '{name}'; expected one of {string.Join(", ", Names)}."),
    };
}

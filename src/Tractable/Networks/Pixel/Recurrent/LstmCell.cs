using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Networks.Pixel.Recurrent;

/// <summary>
/// The LSTM update of PixelRNN's recurrent layers (van den Oord et al. 2016, "Pixel Recurrent Neural Networks",
/// arXiv:1601.06759, §3.1, eq. 3): <c>[o, f, i, g] = [σ, σ, σ, tanh](pre)</c>, <c>c = f ⊙ c_prev + i ⊙ g</c>,
/// <c>h = o ⊙ tanh(c)</c>, where <c>pre</c> is the sum of the input-to-state and state-to-state convolutions.
/// </summary>
/// <remarks>
/// The pre-activations are cut into four quarters along the channel dimension. With <c>h</c> a multiple of the
/// colours, channel <c>k</c> of every quarter has the colour <c>k mod colours</c> of the masked convolutions, so each
/// state channel keeps the colour group of the gates that made it (§3.4).
/// </remarks>
public static class LstmCell
{
    /// <summary>
    /// The new hidden and cell states from <paramref name="preActivations"/> (<c>4h</c> channels along
    /// <paramref name="channelDim"/>) and the carried cell state (<c>h</c> channels there).
    /// </summary>
    public static (Tensor Hidden, Tensor Cell) Step(Tensor preActivations, Tensor cellBefore, int channelDim = 1)
    {
        Tensor[] gates = TensorSizes.Chunk(preActivations, 4, channelDim);
        Tensor cell = gates[1].sigmoid() * cellBefore + gates[2].sigmoid() * gates[3].tanh();
        return (gates[0].sigmoid() * cell.tanh(), cell);
    }
}

using static TorchSharp.torch;

namespace Tractable.Distributions.Pixels;

/// <summary>
/// The distribution of each pixel given the network's outputs, for images of integer values <c>0..Levels−1</c>:
/// the likelihood term of an autoregressive image model <c>log p(x) = Σ_pixels log p(x_ij | params_ij)</c>.
/// </summary>
public abstract class PixelLikelihood
{
    /// <summary>A likelihood over <paramref name="colours"/> channels of <paramref name="levels"/> values.</summary>
    protected PixelLikelihood(int colours, int levels)
    {
        if (levels < 2) throw new ArgumentException("Discrete pixels need at least 2 levels.");
        Colours = colours;
        Levels = levels;
    }

    /// <summary>Image channels.</summary>
    public int Colours { get; }

    /// <summary>Values per sub-pixel.</summary>
    public int Levels { get; }

    /// <summary>Network output channels per pixel.</summary>
    public abstract int ParameterChannels { get; }

    /// <summary>
    /// Whether the parameters of a pixel cover its colours jointly (as the logistic mixture's linear colour
    /// dependence does), so one network pass per pixel suffices; otherwise colour <c>c</c> needs a pass that has seen
    /// colours <c>&lt; c</c> of the pixel (colour-masked networks).
    /// </summary>
    public virtual bool JointOverColours => false;

    /// <summary>Log-likelihood in nats of each image: <paramref name="parameters"/> <c>[B, P, H, W]</c>, <paramref name="x"/> <c>[B, C, H, W]</c> → <c>[B]</c>.</summary>
    public abstract Tensor LogProb(Tensor parameters, Tensor x);

    /// <summary>
    /// Log-likelihood in nats of each pixel on its own: <paramref name="parameters"/> <c>[N, P]</c>,
    /// <paramref name="values"/> <c>[N, C]</c> → <c>[N]</c>; by default <see cref="LogProb"/> of N one-pixel images.
    /// </summary>
    public virtual Tensor PixelLogProbs(Tensor parameters, Tensor values) =>
        LogProb(parameters.view(parameters.size(0), -1, 1, 1), values.view(values.size(0), -1, 1, 1));

    /// <summary>
    /// <c>log p(x_c = v | x_&lt;c, params)</c> for every level <c>v</c> of colour <paramref name="colour"/> of one pixel:
    /// <paramref name="parameters"/> <c>[B, P]</c>, <paramref name="pixel"/> <c>[B, C]</c> (colours <c>&lt; c</c> filled) → <c>[B, Levels]</c>.
    /// </summary>
    public abstract Tensor LevelLogProbs(Tensor parameters, Tensor pixel, int colour);

    /// <summary>The values <c>0..L−1</c> scaled to <c>[−1, 1]</c>, as the networks see them.</summary>
    public Tensor Scale(Tensor x) => x * (2.0 / (Levels - 1)) - 1.0;
}

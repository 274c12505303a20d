namespace Tractable.Networks.Pixel;

/// <summary>
/// Which part of a convolution kernel may see the pixel being predicted (van den Oord et al. 2016,
/// "Pixel Recurrent Neural Networks", arXiv:1601.06759, §3.4 and Figure 2).
/// </summary>
public enum MaskType
{
    /// <summary>No mask: causality comes from the kernel's shape and padding (shifted convolutions, vertical stacks).</summary>
    None,

    /// <summary>Type A (first layer): the centre pixel's colour <c>c</c> sees only colours <c>&lt; c</c> of that pixel.</summary>
    A,

    /// <summary>Type B (later layers): the centre pixel's colour <c>c</c> sees colours <c>≤ c</c> of that pixel.</summary>
    B,
}

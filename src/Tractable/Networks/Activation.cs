namespace Tractable.Networks;

/// <summary>The hidden-layer non-linearities a configuration may name (modules from <see cref="ActivationModules.Create"/>).</summary>
public enum Activation
{
    /// <summary><c>max(0, x)</c>.</summary>
    Relu,
    /// <summary><c>tanh x</c>.</summary>
    Tanh,
    /// <summary><c>x</c> for <c>x &gt; 0</c>, else <c>eˣ − 1</c> (Clevert et al. 2015, arXiv:1511.07289).</summary>
    Elu,
    /// <summary><c>x·Φ(x)</c> (Hendrycks &amp; Gimpel 2016, arXiv:1606.08415).</summary>
    Gelu,
    /// <summary><c>x·σ(x)</c> (Elfwing et al. 2017, arXiv:1702.03118).</summary>
    Silu,
}

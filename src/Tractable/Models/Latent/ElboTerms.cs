using static TorchSharp.torch;

namespace Tractable.Models.Latent;

/// <summary>
/// The two terms of one example's evidence lower bound from one posterior sample,
/// <c>ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z))</c>, in nats, <c>[B]</c> each.
/// </summary>
/// <param name="Reconstruction"><c>log p(x|z)</c> at the sample.</param>
/// <param name="Kl">The KL term: in closed form for a diagonal posterior, else <c>log q(z|x) − log p(z)</c> at the sample.</param>
public sealed record ElboTerms(Tensor Reconstruction, Tensor Kl)
{
    /// <summary>The bound, <c>Reconstruction − Kl</c>.</summary>
    public Tensor Elbo => Reconstruction - Kl;
}

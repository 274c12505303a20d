using static TorchSharp.torch;

namespace Tractable.Data.Energy;

/// <summary>
/// The four unnormalized 2D densities <c>p(z) ∝ exp(−U(z))</c> of Rezende &amp; Mohamed 2015 (arXiv:1505.05770,
/// Table 1), targets for reverse-KL fitting. Mixtures are combined with <c>logsumexp</c>.
/// </summary>
/// <remarks>
/// U2–U4 do not depend on <c>z1</c> far from the origin, so as written they cannot be normalized. Each potential
/// therefore adds a steep wall <c>½(max(0, |z1| − 4)/0.2)²</c> outside the window <c>|z1| ≤ 4</c> in which the paper
/// draws them (its Figure 3); inside the window the targets are the paper's. This makes <c>log Z</c> and the KL finite.
/// </remarks>
public sealed class PotentialEnergy
{
    private PotentialEnergy(string name, Func<Tensor, Tensor> energy)
    {
        Name = name;
        Energy = z => energy(z) + Wall(z);
    }

    /// <summary>The confining wall outside <c>|z1| ≤ 4</c>.</summary>
    private static Tensor Wall(Tensor z) => 0.5 * (nn.functional.relu(Z1(z).abs() - 4) / 0.2).square();

    /// <summary>u1 … u4.</summary>
    public string Name { get; }

    /// <summary>U(z), wall included, for <c>z</c> of shape <c>[B, 2]</c>; the result is <c>[B]</c>.</summary>
    public Func<Tensor, Tensor> Energy { get; }

    /// <summary><c>log p̃(z) = −U(z)</c>.</summary>
    public Tensor LogUnnormalized(Tensor z) => -Energy(z);

    /// <summary>Every potential.</summary>
    public static readonly IReadOnlyList<PotentialEnergy> All =
    [
        new("u1", U1), new("u2", U2), new("u3", U3), new("u4", U4),
    ];

    /// <summary>The potential called <paramref name="name"/>, or null.</summary>
    public static PotentialEnergy? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static Tensor Z1(Tensor z) => z.select(1, 0);
    private static Tensor Z2(Tensor z) => z.select(1, 1);
    private static Tensor W1(Tensor z) => (2 * Math.PI * Z1(z) / 4).sin();
    private static Tensor W2(Tensor z) => 3 * (-0.5 * ((Z1(z) - 1) / 0.6).square()).exp();
    private static Tensor W3(Tensor z) => 3 * nn.functional.sigmoid((Z1(z) - 1) / 0.3);

    /// <summary>−log(e^a + e^b) for two exponents given as tensors.</summary>
    private static Tensor NegLogSumExp(Tensor a, Tensor b) => -stack([a, b], 1).logsumexp(1);

    private static Tensor U1(Tensor z) =>
        0.5 * ((z.norm(1) - 2) / 0.4).square()
        + NegLogSumExp(-0.5 * ((Z1(z) - 2) / 0.6).square(), -0.5 * ((Z1(z) + 2) / 0.6).square());

    private static Tensor U2(Tensor z) => 0.5 * ((Z2(z) - W1(z)) / 0.4).square();

    private static Tensor U3(Tensor z) =>
        NegLogSumExp(-0.5 * ((Z2(z) - W1(z)) / 0.35).square(), -0.5 * ((Z2(z) - W1(z) + W2(z)) / 0.35).square());

    private static Tensor U4(Tensor z) =>
        NegLogSumExp(-0.5 * ((Z2(z) - W1(z)) / 0.4).square(), -0.5 * ((Z2(z) - W1(z) + W3(z)) / 0.35).square());
}

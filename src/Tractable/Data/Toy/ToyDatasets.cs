namespace Tractable.Data.Toy;

/// <summary>The toy 2D datasets by name.</summary>
public static class ToyDatasets
{
    /// <summary>Every toy dataset.</summary>
    public static readonly IReadOnlyList<ToyDataset> All =
        [new TwoMoons(), new EightGaussians(), new Checkerboard(), new Pinwheel(), new TwoSpirals(), new ConcentricRings(), new SwissRoll()];

    /// <summary>The dataset called <paramref name="name"/>, or null.</summary>
    public static ToyDataset? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}

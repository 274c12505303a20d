using static TorchSharp.torch;

namespace Tractable.Data.Images;

/// <summary>
/// MNIST from the official IDX files (gzipped as in <c>shared/data/mnist</c>): 60,000 training and 10,000 test
/// 28×28 grey images. The last 5,000 training images form the validation split.
/// </summary>
public static class Mnist
{
    private static readonly string[] Files =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>Validation images taken from the end of the training set.</summary>
    public const int ValidationSize = 5000;

    /// <summary>
    /// 8-bit MNIST: pixels as float32 integers 0…255, shape <c>[N, 1, 28, 28]</c>, with labels. With
    /// <paramref name="binarizeSeed"/>, each pixel is instead one Bernoulli draw with p = intensity/255 (the standard
    /// stochastic binarization), fixed by the seed.
    /// </summary>
    public static DataSplits Load(string? dataDirectory, long? binarizeSeed = null)
    {
        string folder = DataFolder.Locate(dataDirectory, "mnist", Files);
        (Tensor trainX, Tensor trainY) = Read(folder, "train");
        (Tensor testX, Tensor testY) = Read(folder, "t10k");
        string name = "mnist";
        if (binarizeSeed is long seed)
        {
            using var g = new Generator((ulong)seed);
            trainX = bernoulli(trainX / 255, generator: g);
            testX = bernoulli(testX / 255, generator: g);
            name = "mnist-binarized";
        }
        (Split train, Split validation) = new Split(trainX, trainY).HoldOutLast(ValidationSize);
        return new DataSplits(name, train, validation, new Split(testX, testY))
        {
            NumClasses = 10,
            Levels = binarizeSeed is null ? 256 : 2,
        };
    }

    private static (Tensor X, Tensor Y) Read(string folder, string prefix)
    {
        var (shape, pixels) = IdxFile.Read(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), 2051);
        var (_, labels) = IdxFile.Read(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), 2049);
        if (labels.Length != shape[0])
            throw new DataFormatException($"{prefix}: {shape[0]} images but {labels.Length} labels.");
        Tensor x = tensor(pixels, [shape[0], 1, shape[1], shape[2]], dtype: uint8).to(float32);
        return (x, tensor(labels, dtype: uint8).to(int64));
    }
}

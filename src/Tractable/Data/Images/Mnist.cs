using Tractable.Runtime;
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

    /// <summary>Digit classes: labels are 0 … 9.</summary>
    public const int Classes = 10;

    /// <summary>
    /// 8-bit MNIST: pixels as float32 integers 0…255, shape <c>[N, 1, 28, 28]</c>, with labels. With
    /// <paramref name="binarizeSeed"/>, each pixel is instead one Bernoulli draw with p = intensity/255 (the standard
    /// stochastic binarization), fixed by the seed.
    /// </summary>
    public static DataSplits Load(string? dataDirectory, long? binarizeSeed = null)
    {
        string folder = DataFolder.Locate(dataDirectory, "mnist", Files);
        (Tensor trainX, Tensor trainY) = Read(folder, "train", ValidationSize + 1);
        (Tensor testX, Tensor testY) = Read(folder, "t10k", 1);
        if (!TensorSizes.Of(trainX)[1..].SequenceEqual(TensorSizes.Of(testX)[1..]))
            throw new DataFormatException(
                $"mnist: training images are {trainX.size(2)}x{trainX.size(3)} but test images {testX.size(2)}x{testX.size(3)}.");
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
            NumClasses = Classes,
            Levels = binarizeSeed is null ? 256 : 2,
        };
    }

    /// <summary>The images and labels of one split, checked: as many labels as images, each a digit, at least <paramref name="minimum"/> of them.</summary>
    private static (Tensor X, Tensor Y) Read(string folder, string prefix, int minimum)
    {
        string imageFile = $"{prefix}-images-idx3-ubyte.gz", labelFile = $"{prefix}-labels-idx1-ubyte.gz";
        (Tensor x, Tensor y) = IdxFolder.ReadPair(Path.Combine(folder, imageFile), Path.Combine(folder, labelFile));
        long[] labels = y.data<long>().ToArray();
        int bad = Array.FindIndex(labels, l => l >= Classes);
        if (bad >= 0)
            throw new DataFormatException($"{labelFile}: label {labels[bad]} at index {bad}; digit labels are 0 to {Classes - 1}.");
        if (labels.Length < minimum)
            throw new DataFormatException($"{imageFile}: {labels.Length} images; at least {minimum} are needed{(minimum > 1 ? $" (the last {ValidationSize} validate)" : "")}.");
        return (x, y);
    }
}

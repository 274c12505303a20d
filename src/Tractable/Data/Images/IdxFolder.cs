using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Data.Images;

/// <summary>
/// A folder of IDX files in MNIST's layout under its own name, <c>idx:FOLDER</c> (Fashion-MNIST, KMNIST and others
/// ship so): <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and
/// <c>t10k-labels-idx1-ubyte</c>, each plain or gzipped (<c>.gz</c>). Grey 8-bit images as float32 integers 0…255,
/// shape <c>[N, 1, H, W]</c> (256 levels: bits/dim), labels 0 … K − 1 with K the largest label + 1. The last twelfth
/// of the training images validate (5,000 of 60,000, as for <see cref="Mnist"/>).
/// </summary>
public static class IdxFolder
{
    /// <summary>The prefix of the dataset's name: <c>idx:FOLDER</c>.</summary>
    public const string Prefix = "idx:";

    /// <summary>The share of the training images held out, from the end, to validate: one in twelve.</summary>
    public const int ValidationFraction = 12;

    /// <summary>Reads the four files of <paramref name="folder"/>; a missing or damaged file is an error naming it.</summary>
    public static DataSplits Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"IDX folder not found: {folder}");
        (Tensor trainX, Tensor trainY) = ReadPair(Find(folder, "train-images-idx3-ubyte"), Find(folder, "train-labels-idx1-ubyte"));
        (Tensor testX, Tensor testY) = ReadPair(Find(folder, "t10k-images-idx3-ubyte"), Find(folder, "t10k-labels-idx1-ubyte"));
        string name = Prefix + folder;
        if (!TensorSizes.Of(trainX)[1..].SequenceEqual(TensorSizes.Of(testX)[1..]))
            throw new DataFormatException($"{name}: training images are {trainX.size(3)}x{trainX.size(2)} but test images {testX.size(3)}x{testX.size(2)}.");
        if (trainX.size(0) < 2)
            throw new DataFormatException($"{name}: {trainX.size(0)} training image; at least 2 are needed (the last twelfth validates).");
        (Split train, Split validation) = new Split(trainX, trainY).HoldOutLast(Math.Max(1, trainX.size(0) / ValidationFraction));
        return new DataSplits(name, train, validation, new Split(testX, testY))
        {
            NumClasses = (int)Math.Max(trainY.max().item<long>(), testY.max().item<long>()) + 1,
            Levels = 256,
        };
    }

    /// <summary>
    /// The images <c>[N, 1, H, W]</c> (float32 0…255) of an IDX image file and the labels (int64) of its label file,
    /// checked to hold as many labels as images.
    /// </summary>
    public static (Tensor X, Tensor Labels) ReadPair(string imageFile, string labelFile)
    {
        var (shape, pixels) = IdxFile.Read(imageFile, 2051);
        var (_, labels) = IdxFile.Read(labelFile, 2049);
        if (labels.Length != shape[0])
            throw new DataFormatException($"{Path.GetFileName(imageFile)} holds {shape[0]} images but {Path.GetFileName(labelFile)} holds {labels.Length} labels.");
        using var scope = NewDisposeScope();
        Tensor x = tensor(pixels, [shape[0], 1, shape[1], shape[2]], dtype: uint8).to(float32);
        return scope.MoveToOuter(x, tensor(labels, dtype: uint8).to(int64));
    }

    /// <summary>The file called <paramref name="name"/> in <paramref name="folder"/>, plain or gzipped.</summary>
    private static string Find(string folder, string name)
    {
        foreach (string candidate in new[] { name, name + ".gz" })
            if (File.Exists(Path.Combine(folder, candidate))) return Path.Combine(folder, candidate);
        throw new FileNotFoundException(
            $"{folder}: {name} (or {name}.gz) not found; an IDX folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, plain or gzipped.",
            Path.Combine(folder, name));
    }
}

using static TorchSharp.torch;

namespace Tractable.Data.Images;

/// <summary>
/// CIFAR-10 in the official binary layout (1 label byte, then 1024 R, 1024 G, 1024 B bytes per record). The copy in
/// <c>shared/data/cifar10</c> holds <c>data_batch_1.bin</c> and <c>test_batch.bin</c>, rebuilt from a JPEG copy, so
/// its bits/dim are not comparable with published CIFAR-10 figures. The last 1,000 training images validate.
/// </summary>
public static class Cifar10
{
    private const int RecordBytes = 1 + 3 * 32 * 32;

    /// <summary>Validation images taken from the end of the training batches.</summary>
    public const int ValidationSize = 1000;

    /// <summary>Classes: labels are 0 … 9.</summary>
    public const int Classes = 10;

    /// <summary>Pixels as float32 integers 0…255, shape <c>[N, 3, 32, 32]</c>, with labels.</summary>
    public static DataSplits Load(string? dataDirectory)
    {
        string folder = DataFolder.Locate(dataDirectory, Path.Combine("cifar10", "cifar-10-batches-bin"), "data_batch_1.bin", "test_batch.bin");
        string[] trainFiles = Enumerable.Range(1, 5).Select(i => Path.Combine(folder, $"data_batch_{i}.bin")).Where(File.Exists).ToArray();
        (Tensor trainX, Tensor trainY) = Read(trainFiles);
        (Tensor testX, Tensor testY) = Read([Path.Combine(folder, "test_batch.bin")]);
        if (trainX.size(0) <= ValidationSize)
            throw new DataFormatException(
                $"cifar10: {trainX.size(0)} training images in {string.Join(", ", trainFiles.Select(Path.GetFileName))}; more than {ValidationSize} are needed (the last {ValidationSize} validate).");
        (Split train, Split validation) = new Split(trainX, trainY).HoldOutLast(ValidationSize);
        return new DataSplits("cifar10", train, validation, new Split(testX, testY))
        {
            NumClasses = Classes,
            Levels = 256,
        };
    }

    private static (Tensor X, Tensor Y) Read(string[] files)
    {
        var xs = new List<Tensor>();
        var ys = new List<Tensor>();
        foreach (string file in files)
        {
            (Tensor x, Tensor y) = ReadBatch(file);
            xs.Add(x);
            ys.Add(y);
        }
        return (cat(xs, 0), cat(ys, 0));
    }

    /// <summary>
    /// The images <c>[N, 3, 32, 32]</c> (float32 0…255) and labels of one batch file; an empty file, a partial record
    /// or a label above 9 is a <see cref="DataFormatException"/> naming the file.
    /// </summary>
    public static (Tensor X, Tensor Labels) ReadBatch(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"CIFAR-10 batch not found: {file}", file);
        string name = Path.GetFileName(file);
        byte[] bytes = File.ReadAllBytes(file);
        if (bytes.Length == 0) throw new DataFormatException($"{name}: empty file.");
        if (bytes.Length % RecordBytes != 0)
            throw new DataFormatException($"{name}: {bytes.Length} bytes is not a whole number of {RecordBytes}-byte records.");
        for (int r = 0; r < bytes.Length / RecordBytes; r++)
            if (bytes[r * RecordBytes] >= Classes)
                throw new DataFormatException($"{name}: record {r + 1} has label {bytes[r * RecordBytes]}; labels are 0 to {Classes - 1}.");
        using var scope = NewDisposeScope();
        Tensor records = tensor(bytes, [bytes.Length / RecordBytes, RecordBytes], dtype: uint8);
        Tensor labels = records.select(1, 0).to(int64);
        Tensor x = records.narrow(1, 1, RecordBytes - 1).reshape(-1, 3, 32, 32).to(float32);
        return scope.MoveToOuter(x, labels);
    }
}

using static TorchSharp.torch;

namespace Tractable.Data.Arrays;

/// <summary>
/// A NumPy <c>.npy</c> file as a dataset, <c>npy:FILE</c>, read by <see cref="NpyFile"/>: uint8 arrays are 8-bit
/// images (256 levels, bits/dim), float32 and float64 arrays are tables of continuous features (as float32,
/// standardized by default, as CSV tables are). The examples are shuffled by the seed into 80% train, 10% validation
/// and 10% test.
/// </summary>
/// <remarks>
/// <para>Images: <c>[N, H, W]</c> (grey), <c>[N, H, W, C]</c> (NumPy's usual layout, taken when the last axis is 1 or
/// 3) or <c>[N, C, H, W]</c> (when axis 1 is 1 or 3 and the last is not); they become <c>[N, C, H, W]</c>.</para>
/// <para>Tables: <c>[N, D]</c>, every value finite; a column constant in every row is refused, or dropped with
/// <see cref="DataOptions.DropConstantColumns"/>.</para>
/// <para>Labels: a sibling file <c>FILE.labels.npy</c> (<c>digits.npy</c> → <c>digits.labels.npy</c>) of
/// <c>[N]</c> integers 0 … <see cref="MaxClasses"/> − 1, when present.</para>
/// </remarks>
public static class NpyDataset
{
    /// <summary>The prefix of the dataset's name: <c>npy:FILE</c>.</summary>
    public const string Prefix = "npy:";

    /// <summary>The most classes a labels file may name: labels are class indices 0 … 9,999.</summary>
    public const int MaxClasses = 10_000;

    /// <summary>The labels file beside <paramref name="path"/>: <c>x.npy</c> → <c>x.labels.npy</c>.</summary>
    public static string LabelsFileOf(string path) => Path.ChangeExtension(path, ".labels.npy");

    /// <summary>Whether the array in <paramref name="path"/> is discrete (uint8 images), from its header alone.</summary>
    public static bool IsDiscrete(string path) => NpyFile.ReadHeader(path).Type == NpyType.UInt8;

    /// <summary>
    /// Reads <paramref name="path"/> (and its labels file, when present), split with <paramref name="options"/>' seed;
    /// every problem is a <see cref="DataFormatException"/> naming the file.
    /// </summary>
    public static DataSplits Load(string path, DataOptions? options = null)
    {
        options ??= new DataOptions();
        string file = Path.GetFileName(path);
        Tensor array = NpyFile.Read(path);
        bool images = array.dtype == uint8;
        Tensor x = images ? Images(array, file) : Table(array, file, options.DropConstantColumns);
        Tensor? labels = File.Exists(LabelsFileOf(path)) ? Labels(LabelsFileOf(path), x.size(0)) : null;
        if (x.size(0) < Split.MinimumToSplit)
            throw new DataFormatException($"{file}: {x.size(0)} examples are too few to split into train, validation and test (at least {Split.MinimumToSplit}).");
        (Split train, Split validation, Split test) = new Split(x, labels).ShuffledThreeWays(options.Seed);
        return new DataSplits(Prefix + path, train, validation, test)
        {
            NumClasses = labels is null ? 0 : (int)labels.max().item<long>() + 1,
            Levels = images ? 256 : null,
            StandardizeByDefault = !images,
        };
    }

    /// <summary>uint8 images as float32 <c>[N, C, H, W]</c>.</summary>
    private static Tensor Images(Tensor array, string file)
    {
        long[] s = array.shape;
        Tensor nchw = s.Length switch
        {
            3 => array.unsqueeze(1),
            4 when s[3] is 1 or 3 => array.permute(0, 3, 1, 2),
            4 when s[1] is 1 or 3 => array,
            4 => throw new DataFormatException($"{file}: uint8 images [{string.Join(", ", s)}] have 1 or 3 channels neither last ([N, H, W, C]) nor second ([N, C, H, W])."),
            _ => throw new DataFormatException($"{file}: uint8 arrays are images [N, H, W], [N, H, W, C] or [N, C, H, W], not [{string.Join(", ", s)}] (a table is float32 or float64)."),
        };
        return nchw.to(float32).contiguous();
    }

    /// <summary>A float table as float32 <c>[N, D]</c>, checked finite, constant columns refused or dropped.</summary>
    private static Tensor Table(Tensor array, string file, bool dropConstantColumns)
    {
        if (array.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new DataFormatException($"{file}: {array.dtype.ToString().ToLowerInvariant()} data is not read as a dataset; save images as uint8 and tables as float32 or float64 (integers are for labels files).");
        if (array.dim() != 2)
            throw new DataFormatException($"{file}: float arrays are tables [N, D], not [{string.Join(", ", array.shape)}] (images are uint8).");
        Tensor x = array.to(float32);
        Tensor bad = x.isfinite().logical_not().nonzero();
        if (bad.size(0) > 0)
        {
            long row = bad[0, 0].item<long>(), column = bad[0, 1].item<long>();
            double value = array[row, column].to(float64).item<double>();
            throw DataFormatException.At(file, row + 1, (int)column + 1,
                double.IsFinite(value) ? $"{value:G6} is beyond the range of float32 (±3.4e38)." : $"{value} is not a number a density can be fitted to.");
        }
        return ConstantColumns.Remove(x, file, dropConstantColumns);
    }

    /// <summary>The labels <c>[N]</c> (int64) of <paramref name="path"/>, checked: integers 0 … <see cref="MaxClasses"/> − 1, one per example.</summary>
    private static Tensor Labels(string path, long examples)
    {
        string file = Path.GetFileName(path);
        Tensor labels = NpyFile.Read(path);
        if (labels.dtype is not (ScalarType.Byte or ScalarType.Int32 or ScalarType.Int64))
            throw new DataFormatException($"{file}: labels must be integers (uint8, int32 or int64), not {labels.dtype.ToString().ToLowerInvariant()}.");
        if (labels.dim() != 1 || labels.size(0) != examples)
            throw new DataFormatException($"{file}: [{string.Join(", ", labels.shape)}] labels for {examples} examples; one label per example, shape [{examples}].");
        labels = labels.to(int64);
        Tensor outside = labels.lt(0).logical_or(labels.ge(MaxClasses)).nonzero();
        if (outside.size(0) > 0)
        {
            long index = outside[0, 0].item<long>();
            throw new DataFormatException($"{file}: label {labels[index].item<long>()} at index {index}; labels are class indices 0 to {MaxClasses - 1}.");
        }
        return labels;
    }
}

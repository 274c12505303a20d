using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using SkiaSharp;
using Tractable.Data.Audio;

namespace Tractable.Fuzzing;

/// <summary>Small valid files in the formats the library reads, for fuzzing and for tests of hostile inputs.</summary>
public static class SampleFiles
{
    /// <summary>An IDX file of unsigned bytes: the magic number, big-endian dimensions, then <paramref name="data"/>.</summary>
    public static byte[] Idx(int magic, int[] shape, byte[] data)
    {
        var bytes = new List<byte>();
        foreach (int v in new[] { magic }.Concat(shape)) bytes.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    /// <summary><paramref name="bytes"/> gzipped.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal)) gz.Write(bytes);
        return output.ToArray();
    }

    /// <summary>A NumPy <c>.npy</c> file of <paramref name="data"/> whose header declares <paramref name="descr"/> and <paramref name="shape"/>.</summary>
    public static byte[] Npy(string descr, long[] shape, byte[] data, bool fortranOrder = false, int version = 1)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        return NpyWithHeader($"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}", data, version);
    }

    /// <summary>
    /// A NumPy <c>.npy</c> file as NumPy writes it: the magic, the version, the little-endian header length, the
    /// header <paramref name="dict"/> padded with spaces and a newline to a multiple of 64 bytes, then <paramref name="data"/>.
    /// </summary>
    public static byte[] NpyWithHeader(string dict, byte[] data, int version = 1)
    {
        int prefix = version == 1 ? 10 : 12;
        int length = (prefix + dict.Length + 1 + 63) / 64 * 64 - prefix;
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.AddRange([(byte)version, 0]);
        bytes.AddRange(version == 1 ? BitConverter.GetBytes((ushort)length) : BitConverter.GetBytes((uint)length));
        bytes.AddRange(Encoding.ASCII.GetBytes(dict.PadRight(length - 1) + "\n"));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    /// <summary>An <c>.npy</c> file of bytes (<c>|u1</c>).</summary>
    public static byte[] Npy(byte[] values, params long[] shape) => Npy("|u1", shape, values);

    /// <summary>An <c>.npy</c> file of float32 (<c>&lt;f4</c>).</summary>
    public static byte[] Npy(float[] values, params long[] shape) => Npy("<f4", shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>An <c>.npy</c> file of float64 (<c>&lt;f8</c>).</summary>
    public static byte[] Npy(double[] values, params long[] shape) => Npy("<f8", shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>An <c>.npy</c> file of int64 (<c>&lt;i8</c>, NumPy's default integer).</summary>
    public static byte[] Npy(long[] values, params long[] shape) => Npy("<i8", shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>
    /// A PNG (or, with <paramref name="jpegQuality"/>, a JPEG) of <paramref name="width"/> × <paramref name="height"/>
    /// pixels coloured by <paramref name="pixel"/>(x, y), encoded by SkiaSharp; <paramref name="grey"/> writes a
    /// one-channel image of the red values.
    /// </summary>
    public static byte[] Image(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel, bool grey = false, int? jpegQuality = null)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                bitmap.SetPixel(x, y, grey ? new SKColor(r, r, r) : new SKColor(r, g, b));
            }
        using SKData encoded = bitmap.Encode(jpegQuality is null ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, jpegQuality ?? 100);
        return encoded.ToArray();
    }

    /// <summary>The gzipped IDX files of an MNIST folder (the layout <c>Mnist.Load</c> reads) in <paramref name="folder"/>.</summary>
    /// <param name="folder">Where the four files go (created if absent).</param>
    /// <param name="side">Images are <paramref name="side"/> × <paramref name="side"/> pixels (MNIST's own are 28).</param>
    /// <param name="trainImages">Training images; 5,001 is the fewest that leave one after the validation split.</param>
    /// <param name="testImages">Test images.</param>
    /// <param name="trainLabels">Training labels (by default one per image).</param>
    /// <param name="label">The label of image i (by default i mod 10).</param>
    /// <remarks>Image i of class c is a ramp brighter with c, plus a pattern of i, so that classes differ and no two images are alike.</remarks>
    public static void MnistFolder(string folder, int side, int trainImages = 5001, int testImages = 4, int? trainLabels = null, Func<int, byte>? label = null)
    {
        label ??= i => (byte)(i % 10);
        byte[] Pixels(int n) => Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, side * side)
            .Select(p => (byte)Math.Min(255, 20 * label(i) + 8 * (p % side) + 4 * (p / side) + (i * 31 + p * 17) % 41))).ToArray();
        byte[] Labels(int n) => Enumerable.Range(0, n).Select(label).ToArray();
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte.gz"), Gzip(Idx(2051, [trainImages, side, side], Pixels(trainImages))));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), Gzip(Idx(2049, [trainLabels ?? trainImages], Labels(trainLabels ?? trainImages))));
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Gzip(Idx(2051, [testImages, side, side], Pixels(testImages))));
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), Gzip(Idx(2049, [testImages], Labels(testImages))));
    }

    /// <summary>A folder of <paramref name="files"/> speech-like WAVs (16-bit mono at <paramref name="rate"/> Hz), a tone of its own in each, for <c>speech:FOLDER</c>.</summary>
    public static void SpeechFolder(string folder, int files, int samples, int rate = 8000)
    {
        for (int i = 0; i < files; i++)
            WavFile.Write(Path.Combine(folder, $"f{i}.wav"), new WavAudio(
                Enumerable.Range(0, samples).Select(t => (short)(6000 * Math.Sin(t * (0.05 + 0.01 * i))) / 32768f).ToArray(), rate));
    }
}

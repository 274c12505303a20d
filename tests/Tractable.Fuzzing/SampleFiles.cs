using System.IO.Compression;
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

using System.IO.Compression;

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
}

using System.IO.Compression;

namespace Tractable.Data.Images;

/// <summary>Reads the IDX format of MNIST (big-endian header, then unsigned bytes), plain or gzipped.</summary>
public static class IdxFile
{
    /// <summary>The dimensions and bytes of an IDX file of unsigned bytes with the given magic number (2051 images, 2049 labels).</summary>
    public static (int[] Shape, byte[] Data) Read(string path, int expectedMagic)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        using Stream raw = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new BinaryReader(stream);
        int magic = ReadBigEndian(reader, path);
        if (magic != expectedMagic)
            throw new DataFormatException($"{Path.GetFileName(path)}: magic number {magic}, expected {expectedMagic} (not an IDX file of this kind).");
        int dims = magic & 0xff;
        var shape = new int[dims];
        for (int i = 0; i < dims; i++) shape[i] = ReadBigEndian(reader, path);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        byte[] data = reader.ReadBytes(checked((int)count));
        if (data.Length != count)
            throw new DataFormatException($"{Path.GetFileName(path)}: truncated, {data.Length} of {count} bytes.");
        return (shape, data);
    }

    private static int ReadBigEndian(BinaryReader reader, string path)
    {
        byte[] b = reader.ReadBytes(4);
        if (b.Length < 4) throw new DataFormatException($"{Path.GetFileName(path)}: truncated header.");
        return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    }
}

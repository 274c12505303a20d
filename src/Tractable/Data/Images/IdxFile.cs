using System.IO.Compression;

namespace Tractable.Data.Images;

/// <summary>Reads the IDX format of MNIST (big-endian header, then unsigned bytes), plain or gzipped.</summary>
public static class IdxFile
{
    /// <summary>
    /// The dimensions and bytes of an IDX file of unsigned bytes with the given magic number (2051 images, 2049
    /// labels). A damaged file (bad gzip stream, wrong magic, a dimension that is not positive, fewer bytes than the
    /// header declares) is a <see cref="DataFormatException"/> naming the file.
    /// </summary>
    public static (int[] Shape, byte[] Data) Read(string path, int expectedMagic)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        string name = Path.GetFileName(path);
        bool gzipped = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        try
        {
            using Stream raw = File.OpenRead(path);
            using Stream stream = gzipped ? new GZipStream(raw, CompressionMode.Decompress) : raw;
            return Parse(stream, name, expectedMagic, gzipped ? null : raw.Length);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{name}: not a readable gzip stream ({e.Message})", e);
        }
    }

    private static (int[] Shape, byte[] Data) Parse(Stream stream, string name, int expectedMagic, long? fileLength)
    {
        int magic = ReadBigEndian(stream, name);
        if (magic != expectedMagic)
            throw new DataFormatException($"{name}: magic number {magic}, expected {expectedMagic} (not an IDX file of this kind).");
        int dims = magic & 0xff;
        var shape = new int[dims];
        long count = 1;
        for (int i = 0; i < dims; i++)
        {
            shape[i] = ReadBigEndian(stream, name);
            if (shape[i] <= 0) throw new DataFormatException($"{name}: dimension {i + 1} of the header is {shape[i]}; it must be positive.");
            count *= shape[i];                                        // at most 3 dimensions below 2³¹: no overflow
            if (count > Array.MaxLength)
                throw new DataFormatException($"{name}: the header declares [{string.Join(" x ", shape.Take(i + 1))}…], more than {Array.MaxLength} bytes.");
        }
        long header = 4L * (dims + 1);
        if (fileLength is long length && length - header < count)
            throw new DataFormatException($"{name}: truncated, the header declares {count} bytes of data but the file holds {length - header}.");
        return (shape, ReadExactly(stream, count, name));
    }

    /// <summary>Reads <paramref name="count"/> bytes; memory grows with what is read, never with what a header claims.</summary>
    private static byte[] ReadExactly(Stream stream, long count, string name)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        long left = count;
        while (left > 0)
        {
            int n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, left));
            if (n == 0) throw new DataFormatException($"{name}: truncated, {count - left} of {count} bytes.");
            buffer.Write(chunk, 0, n);
            left -= n;
        }
        return buffer.ToArray();
    }

    private static int ReadBigEndian(Stream stream, string name)
    {
        Span<byte> b = stackalloc byte[4];
        if (stream.ReadAtLeast(b, 4, throwOnEndOfStream: false) < 4) throw new DataFormatException($"{name}: truncated header.");
        return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    }
}

using System.Buffers.Binary;

namespace Tractable.Tests.Support;

/// <summary>What a test reads of a PNG file.</summary>
public static class PngFile
{
    /// <summary>Width and height from the PNG's IHDR chunk.</summary>
    public static (int Width, int Height) Size(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Tractable.Data.Arrays;

/// <summary>What the header of a <c>.npy</c> file declares.</summary>
/// <param name="Shape">The array's shape (empty for a scalar).</param>
/// <param name="Type">The element type.</param>
/// <param name="DataOffset">Where the data starts in the file, in bytes.</param>
public sealed record NpyHeader(long[] Shape, NpyType Type, long DataOffset)
{
    /// <summary>The number of elements.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Bytes per element.</summary>
    public int ItemSize => Type switch { NpyType.UInt8 => 1, NpyType.Int32 or NpyType.Float32 => 4, _ => 8 };
}

/// <summary>
/// Reads NumPy's <c>.npy</c> format (versions 1.0, 2.0 and 3.0; numpy.org, <c>numpy.lib.format</c>): the magic
/// <c>\x93NUMPY</c>, the version, a little-endian header length, a Python dict literal with <c>descr</c>,
/// <c>fortran_order</c> and <c>shape</c>, then the elements in C order.
/// </summary>
/// <remarks>
/// Written here rather than taken from a package: the one .npy reader served (NumSharp's <c>np.load</c>) brings a
/// whole array library, reads only version 1.0 headers, answers Fortran order and big-endian data with a bare
/// <c>Exception</c>, and does not check that the file holds the data its header declares. Only what the datasets use
/// is read: uint8, int32, int64, float32 and float64, little-endian, in C order; anything else is refused by name.
/// </remarks>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The header of <paramref name="path"/>, checked against the file's length; the data is not read.</summary>
    public static NpyHeader ReadHeader(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"NumPy file not found: {path}", path);
        using FileStream stream = File.OpenRead(path);
        return ReadHeader(stream, Path.GetFileName(path));
    }

    /// <summary>
    /// The array in <paramref name="path"/> as a tensor of its own type (uint8, int32, int64, float32, float64) and
    /// shape. A damaged header, an unsupported layout or type, or a file shorter or longer than the header declares is
    /// a <see cref="DataFormatException"/> naming the file.
    /// </summary>
    public static Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"NumPy file not found: {path}", path);
        string name = Path.GetFileName(path);
        using FileStream stream = File.OpenRead(path);
        NpyHeader header = ReadHeader(stream, name);
        var bytes = new byte[header.Count * header.ItemSize];
        stream.ReadExactly(bytes);
        // .npy data is little-endian (refused otherwise), as is every machine TorchSharp runs on.
        return header.Type switch
        {
            NpyType.UInt8 => tensor(bytes, header.Shape, dtype: uint8),
            NpyType.Int32 => tensor(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), header.Shape),
            NpyType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), header.Shape),
            NpyType.Float32 => tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), header.Shape),
            NpyType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), header.Shape),
            _ => throw new ArgumentOutOfRangeException(nameof(path), header.Type, "Not an element type of .npy files read here."),
        };
    }

    private static NpyHeader ReadHeader(FileStream stream, string name)
    {
        Span<byte> prefix = stackalloc byte[12];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got < 10 || !prefix[..6].SequenceEqual(Magic))
            throw new DataFormatException($"{name}: not a NumPy .npy file (it does not start with \\x93NUMPY).");
        byte major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
            throw new DataFormatException($"{name}: .npy format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are read.");
        long start = major == 1 ? 10 : 12;
        if (got < start) throw new DataFormatException($"{name}: truncated header.");
        long length = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        if (start + length > stream.Length)
            throw new DataFormatException($"{name}: truncated header, it declares {length} bytes but the file holds {stream.Length - start}.");
        var text = new byte[length];
        stream.Position = start;
        stream.ReadExactly(text);
        NpyHeader header = Parse((major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(text), name, start + length);
        long declared = header.Count * header.ItemSize, held = stream.Length - header.DataOffset;
        if (held != declared)
            throw new DataFormatException(held < declared
                ? $"{name}: truncated, the header declares {declared} bytes of data ([{string.Join(", ", header.Shape)}] of {Describe(header.Type)}) but the file holds {held}."
                : $"{name}: {held - declared} bytes beyond the {declared} bytes of data the header declares.");
        return header;
    }

    /// <summary>The header dict, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (100, 3), }</c>.</summary>
    private static NpyHeader Parse(string dict, string name, long dataOffset)
    {
        if (ListDescr().IsMatch(dict))
            throw new DataFormatException($"{name}: a structured dtype (named fields); save a plain array of numbers.");
        Match descr = Descr().Match(dict), fortran = FortranOrder().Match(dict), shape = ShapeEntry().Match(dict);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new DataFormatException($"{name}: the header lacks descr, fortran_order or shape ({dict.Trim()}).");
        if (fortran.Groups[1].Value == "True")
            throw new DataFormatException($"{name}: Fortran (column-major) order; save it in C order (numpy.ascontiguousarray).");
        var dims = new List<long>();
        foreach (string part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long d))
                throw new DataFormatException($"{name}: shape ({shape.Groups[1].Value}) is not a tuple of sizes.");
            dims.Add(d);
        }
        var header = new NpyHeader([.. dims], TypeOf(descr.Groups[1].Value, name), dataOffset);
        long limit = Array.MaxLength / header.ItemSize, count = 1;
        foreach (long d in dims)
            if (d > 0 && (count = count > limit / d ? limit + 1 : count * d) > limit)
                throw new DataFormatException($"{name}: the header declares [{string.Join(", ", dims)}], more than one array holds.");
        return header;
    }

    private static NpyType TypeOf(string descr, string name)
    {
        if (descr.Length >= 2 && descr[0] == '>' && descr[1..] != "u1")
            throw new DataFormatException($"{name}: big-endian data ('{descr}'); save it little-endian (array.astype('<{descr[1..]}')).");
        if (descr.Length >= 2 && descr[1] == 'O')
            throw new DataFormatException($"{name}: an object array (pickled Python objects), which is never read; save an array of numbers.");
        return descr.TrimStart('<', '|', '=', '>') switch
        {
            "u1" => NpyType.UInt8,
            "i4" => NpyType.Int32,
            "i8" => NpyType.Int64,
            "f4" => NpyType.Float32,
            "f8" => NpyType.Float64,
            _ => throw new DataFormatException(
                $"{name}: dtype '{descr}' is not read; uint8 (images), float32 or float64 (tables), int32 or int64 (labels) are."),
        };
    }

    /// <summary>NumPy's name of <paramref name="type"/>.</summary>
    internal static string Describe(NpyType type) => type switch
    {
        NpyType.UInt8 => "uint8",
        NpyType.Int32 => "int32",
        NpyType.Int64 => "int64",
        NpyType.Float32 => "float32",
        _ => "float64",
    };

    [GeneratedRegex(@"['""]descr['""]\s*:\s*\[")]
    private static partial Regex ListDescr();

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex Descr();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeEntry();
}

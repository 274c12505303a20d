using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.IO;

/// <summary>
/// Loads a weights file in TorchSharp's format (<c>module.save</c>: the number of entries, then per entry its name,
/// element type, shape and raw bytes) into a module, after checking the whole file against the module: the same
/// entries with the same types and shapes, and exactly the bytes they need. TorchSharp's own reader trusts the file
/// (a damaged shape length allocates whatever it says; a short file fails half-way with an EndOfStreamException), so
/// every damaged, truncated, empty or mismatched file is refused here first, with a <see cref="CorruptFileException"/>
/// that names the file and the first problem.
/// </summary>
public static class StateDictFile
{
    private const int MaxNameBytes = 4096;
    private const int MaxDimensions = 16;

    /// <summary>Checks <paramref name="path"/> against <paramref name="module"/>'s state, then loads it (strictly).</summary>
    public static void Load(nn.Module module, string path)
    {
        Check(module, path);
        try
        {
            module.load(path, strict: true);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or ExternalException)
        {
            throw new CorruptFileException(path, $"cannot be loaded ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    /// <summary>Throws a <see cref="CorruptFileException"/> unless <paramref name="path"/> holds exactly <paramref name="module"/>'s state.</summary>
    public static void Check(nn.Module module, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Weights file not found: {path}", path);
        Dictionary<string, Tensor> expected = module.state_dict();
        using var stream = File.OpenRead(path);
        long length = stream.Length;
        if (length == 0) throw new CorruptFileException(path, "empty file.");
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            long count = Decode(reader);
            if (count != expected.Count)
                throw new CorruptFileException(path, $"holds {count} tensors, but the model built from its configuration has {expected.Count}.");
            var seen = new HashSet<string>();
            for (long i = 0; i < count; i++)
            {
                string name = ReadName(reader, path);
                if (!expected.TryGetValue(name, out Tensor? target))
                    throw new CorruptFileException(path, $"entry {i + 1} is '{Printable(name)}', which the model does not have.");
                if (!seen.Add(name)) throw new CorruptFileException(path, $"entry '{name}' appears twice.");
                long type = Decode(reader);
                if (type != (long)target.dtype)
                    throw new CorruptFileException(path, $"'{name}' has element type {type}, but the model's is {target.dtype}.");
                long rank = Decode(reader);
                if (rank != target.shape.Length || rank > MaxDimensions)
                    throw new CorruptFileException(path, $"'{name}' has {rank} dimensions, but the model's has {target.shape.Length}.");
                var shape = new long[rank];
                for (int d = 0; d < rank; d++) shape[d] = Decode(reader);
                if (!shape.SequenceEqual(target.shape))
                    throw new CorruptFileException(path,
                        $"'{name}' has shape [{string.Join(", ", shape)}], but the model's is [{string.Join(", ", target.shape)}] (weights and configuration do not belong together).");
                long bytes = target.numel() * target.ElementSize;
                if (bytes > length - stream.Position)
                    throw new CorruptFileException(path, $"truncated: '{name}' needs {bytes} bytes but {length - stream.Position} remain.");
                stream.Seek(bytes, SeekOrigin.Current);
            }
            if (stream.Position != length)
                throw new CorruptFileException(path, $"{length - stream.Position} unexpected bytes after the last tensor.");
        }
        catch (EndOfStreamException e)
        {
            throw new CorruptFileException(path, "truncated in the middle of a tensor's header.", e);
        }
        catch (InvalidDataException e)
        {
            throw new CorruptFileException(path, e.Message, e);
        }
    }

    /// <summary>An unsigned LEB128 number, as TorchSharp writes counts, types and dimensions; at most 63 bits.</summary>
    private static long Decode(BinaryReader reader)
    {
        long result = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            result |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("a number in a tensor header runs past 63 bits.");
    }

    /// <summary>A length-prefixed UTF-8 name (<see cref="BinaryWriter.Write(string)"/>), bounded so that garbage cannot allocate.</summary>
    private static string ReadName(BinaryReader reader, string path)
    {
        int length;
        try
        {
            length = reader.Read7BitEncodedInt();
        }
        catch (FormatException e)
        {
            throw new CorruptFileException(path, "a tensor name has a malformed length.", e);
        }
        if (length < 0 || length > MaxNameBytes) throw new CorruptFileException(path, $"a tensor name claims {length} bytes.");
        byte[] bytes = reader.ReadBytes(length);
        if (bytes.Length < length) throw new EndOfStreamException();
        return Encoding.UTF8.GetString(bytes);
    }

    private static string Printable(string name) =>
        new(name.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

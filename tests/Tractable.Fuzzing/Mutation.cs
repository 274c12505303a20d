using System.Text;
using CsCheck;

namespace Tractable.Fuzzing;

/// <summary>
/// One change to a valid file. Positions are taken modulo the length the file has when the change is applied, so that
/// changes compose over files that earlier changes made shorter or longer.
/// </summary>
public abstract record Mutation
{
    /// <summary>The file after the change (a new array; <paramref name="bytes"/> is left as it is).</summary>
    public abstract byte[] Apply(byte[] bytes);

    /// <summary>Position <paramref name="position"/> folded into <c>[0, length)</c> (0 for an empty file).</summary>
    protected static int At(int position, int length) => length == 0 ? 0 : (int)((uint)position % (uint)length);
}

/// <summary>Flips bit <see cref="Bit"/> of one byte.</summary>
public sealed record FlipBit(int Position, int Bit) : Mutation
{
    /// <inheritdoc />
    public override byte[] Apply(byte[] bytes)
    {
        byte[] result = [.. bytes];
        if (result.Length > 0) result[At(Position, result.Length)] ^= (byte)(1 << (Bit & 7));
        return result;
    }
}

/// <summary>Overwrites one byte.</summary>
public sealed record SetByte(int Position, byte Value) : Mutation
{
    /// <inheritdoc />
    public override byte[] Apply(byte[] bytes)
    {
        byte[] result = [.. bytes];
        if (result.Length > 0) result[At(Position, result.Length)] = Value;
        return result;
    }
}

/// <summary>Overwrites four bytes with a 32-bit value (counts and sizes of binary headers live there), in either byte order.</summary>
public sealed record SetInt32(int Position, int Value, bool BigEndian) : Mutation
{
    /// <inheritdoc />
    public override byte[] Apply(byte[] bytes)
    {
        byte[] result = [.. bytes];
        if (result.Length < 4) return result;
        int at = At(Position, result.Length - 3);
        byte[] value = BitConverter.GetBytes(Value);
        if (BigEndian == BitConverter.IsLittleEndian) Array.Reverse(value);
        value.CopyTo(result, at);
        return result;
    }
}

/// <summary>Keeps the first <see cref="Fraction"/> (0 … 1) of the file: a write killed half-way, or an empty file.</summary>
public sealed record Truncate(double Fraction) : Mutation
{
    /// <inheritdoc />
    public override byte[] Apply(byte[] bytes) => bytes[..(int)(bytes.Length * Math.Clamp(Fraction, 0, 1))];
}

/// <summary>Inserts bytes.</summary>
public sealed record Insert(int Position, byte[] Bytes) : Mutation
{
    /// <inheritdoc />
    public override byte[] Apply(byte[] bytes)
    {
        int at = bytes.Length == 0 ? 0 : At(Position, bytes.Length + 1);
        return [.. bytes[..at], .. Bytes, .. bytes[at..]];
    }

    /// <inheritdoc />
    public override string ToString() => $"Insert {{ Position = {Position}, Bytes = {Convert.ToHexString(Bytes)} }}";
}

/// <summary>Removes up to <see cref="Count"/> bytes.</summary>
public sealed record Delete(int Position, int Count) : Mutation
{
    /// <inheritdoc />
    public override byte[] Apply(byte[] bytes)
    {
        if (bytes.Length == 0) return [];
        int at = At(Position, bytes.Length);
        int end = Math.Min(bytes.Length, at + Count);
        return [.. bytes[..at], .. bytes[end..]];
    }
}

/// <summary>Repeats a stretch of up to <see cref="Count"/> bytes <see cref="Times"/> times in place.</summary>
public sealed record Duplicate(int Position, int Count, int Times) : Mutation
{
    /// <inheritdoc />
    public override byte[] Apply(byte[] bytes)
    {
        if (bytes.Length == 0) return [];
        int at = At(Position, bytes.Length);
        byte[] piece = bytes[at..Math.Min(bytes.Length, at + Count)];
        return [.. bytes[..at], .. Enumerable.Repeat(piece, Times).SelectMany(p => p), .. bytes[at..]];
    }
}

/// <summary>
/// Replaces the run of digits at or after a position in a text file (a JSON or CSV number) with a hostile number:
/// negative, zero, huge, fractional, not a number.
/// </summary>
public sealed record ReplaceNumber(int Position, string Number) : Mutation
{
    /// <inheritdoc />
    public override byte[] Apply(byte[] bytes)
    {
        if (bytes.Length == 0) return [];
        int start = At(Position, bytes.Length);
        while (start < bytes.Length && !char.IsAsciiDigit((char)bytes[start])) start++;
        if (start == bytes.Length) return [.. bytes];
        while (start > 0 && (char.IsAsciiDigit((char)bytes[start - 1]) || bytes[start - 1] is (byte)'-' or (byte)'.')) start--;
        int end = start;
        while (end < bytes.Length && (char.IsAsciiDigit((char)bytes[end]) || bytes[end] is (byte)'-' or (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+')) end++;
        return [.. bytes[..start], .. Encoding.ASCII.GetBytes(Number), .. bytes[end..]];
    }
}

/// <summary>The generators of mutations and of cases (one to four mutations).</summary>
public static class Mutations
{
    private static readonly int[] HostileInts = [0, -1, 1, int.MaxValue, int.MinValue, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 60_000, -3920];

    private static readonly string[] HostileNumbers =
        ["-1", "0", "-3", "1", "2.5", "300000", "60000", "99999999999999999999", "1e308", "-1e308", "1e-320", "NaN", "Infinity", "-0", "4294967295", "2147483648"];

    /// <summary>One mutation; text-aware ones included.</summary>
    public static readonly Gen<Mutation> One = Gen.Frequency<Mutation>(
        (4, Gen.Select(Gen.Int, Gen.Int[0, 7], (p, b) => (Mutation)new FlipBit(p, b))),
        (3, Gen.Select(Gen.Int, Gen.OneOf<byte>(Gen.OneOf<byte>(0, 0xFF, 0x7F, 0x80), Gen.Byte),
            (p, v) => (Mutation)new SetByte(p, v))),
        (3, Gen.Select(Gen.Int, Gen.OneOf<int>(Gen.OneOf(HostileInts), Gen.Int), Gen.Bool, (p, v, be) => (Mutation)new SetInt32(p, v, be))),
        (2, Gen.Double[0, 1].Select(f => (Mutation)new Truncate(f))),
        (2, Gen.Select(Gen.Int, Gen.Byte.Array[1, 16], (p, b) => (Mutation)new Insert(p, b))),
        (1, Gen.Select(Gen.Int, Gen.Int[1, 64], (p, c) => (Mutation)new Delete(p, c))),
        (1, Gen.Select(Gen.Int, Gen.Int[1, 32], Gen.Int[1, 8], (p, c, t) => (Mutation)new Duplicate(p, c, t))),
        (3, Gen.Select(Gen.Int, Gen.OneOf(HostileNumbers), (p, n) => (Mutation)new ReplaceNumber(p, n))));

    /// <summary>A case: one to four mutations, applied in order.</summary>
    public static readonly Gen<Mutation[]> Case = One.Array[1, 4];

    /// <summary><paramref name="valid"/> after every mutation of <paramref name="mutations"/>.</summary>
    public static byte[] Apply(byte[] valid, IEnumerable<Mutation> mutations) => mutations.Aggregate(valid, (b, m) => m.Apply(b));
}

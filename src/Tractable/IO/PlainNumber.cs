using System.Globalization;

namespace Tractable.IO;

/// <summary>
/// Numbers for people and spreadsheets: plain decimal notation (<c>0.000018</c>, never <c>1.8E-05</c>), invariant
/// culture, with the fewest digits that read back as the same float32 (.NET's shortest round-trip digits, the
/// exponent written out as zeros).
/// </summary>
public static class PlainNumber
{
    /// <summary><paramref name="value"/> (finite) in plain decimal notation; <c>float.Parse</c> gives it back exactly.</summary>
    public static string Format(float value)
    {
        if (!float.IsFinite(value)) throw new ArgumentException($"Only finite numbers have a plain decimal form, got {value}.", nameof(value));
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOf('E');
        if (e < 0) return shortest;
        string sign = shortest[0] == '-' ? "-" : "";
        string mantissa = shortest[sign.Length..e];
        int point = mantissa.IndexOf('.') is int p and >= 0 ? p : mantissa.Length;
        string digits = mantissa.Replace(".", "");
        int shifted = point + int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);       // where the point moves to
        string plain = shifted <= 0 ? "0." + new string('0', -shifted) + digits
            : shifted >= digits.Length ? digits + new string('0', shifted - digits.Length)
            : digits[..shifted] + "." + digits[shifted..];
        return sign + plain;
    }
}

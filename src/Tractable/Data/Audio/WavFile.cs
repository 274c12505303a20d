using System.Text;
using Tractable.IO;

namespace Tractable.Data.Audio;

/// <summary>Mono 16-bit PCM audio: the samples and their rate.</summary>
/// <param name="Samples">Signed 16-bit samples.</param>
/// <param name="SampleRate">Samples per second.</param>
public sealed record WavAudio(short[] Samples, int SampleRate)
{
    /// <summary>The duration in seconds.</summary>
    public double Seconds => (double)Samples.Length / SampleRate;
}

/// <summary>
/// Reads and writes RIFF WAVE files holding PCM 16-bit mono audio at any sample rate. Unknown chunks (LIST, fact, …)
/// are skipped; anything else (stereo, 8/24-bit, float, compressed, truncated or not a WAV) is a
/// <see cref="DataFormatException"/> that names the file and what is wrong.
/// </summary>
public static class WavFile
{
    private const ushort PcmFormat = 1;
    private const ushort ExtensibleFormat = 0xFFFE;

    /// <summary>Reads the WAV file at <paramref name="path"/>.</summary>
    public static WavAudio Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"WAV file not found: {path}", path);
        return Read(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Parses WAV <paramref name="bytes"/>; <paramref name="name"/> names the source in errors.</summary>
    public static WavAudio Read(byte[] bytes, string name)
    {
        var span = new ReadOnlySpan<byte>(bytes);
        if (span.Length < 12 || Tag(span, 0) != "RIFF" || Tag(span, 8) != "WAVE")
            throw new DataFormatException($"{name}: not a RIFF WAVE file.");
        int? sampleRate = null;
        // Chunk sizes are unsigned 32-bit: positions are longs, so that a size near 4 GB cannot overflow them.
        long position = 12;
        while (position + 8 <= span.Length)
        {
            string id = Tag(span, (int)position);
            long size = BitConverter.ToUInt32(span.Slice((int)position + 4, 4));
            int body = (int)position + 8;
            if (id != "data" && body + size > span.Length)
                throw new DataFormatException($"{name}: truncated {Printable(id).Trim()} chunk, it declares {size} bytes but {span.Length - body} remain.");
            if (id == "fmt ")
            {
                if (size < 16 || body + 16 > span.Length) throw new DataFormatException($"{name}: truncated fmt chunk.");
                ushort format = BitConverter.ToUInt16(span.Slice(body, 2));
                ushort channels = BitConverter.ToUInt16(span.Slice(body + 2, 2));
                int rate = BitConverter.ToInt32(span.Slice(body + 4, 4));
                ushort bits = BitConverter.ToUInt16(span.Slice(body + 14, 2));
                if (format == ExtensibleFormat && size >= 26 && body + 26 <= span.Length)
                    format = BitConverter.ToUInt16(span.Slice(body + 24, 2));        // the sub-format GUID starts with the format code
                if (format != PcmFormat) throw new DataFormatException($"{name}: audio format {format} is not supported; only PCM (1) is.");
                if (channels != 1) throw new DataFormatException($"{name}: {channels} channels; only mono is supported.");
                if (bits != 16) throw new DataFormatException($"{name}: {bits}-bit samples; only 16-bit PCM is supported.");
                if (rate <= 0) throw new DataFormatException($"{name}: invalid sample rate {rate}.");
                sampleRate = rate;
            }
            else if (id == "data")
            {
                if (sampleRate is null) throw new DataFormatException($"{name}: data chunk before the fmt chunk.");
                if (body + size > span.Length) throw new DataFormatException($"{name}: truncated, the data chunk declares {size} bytes but {span.Length - body} remain.");
                if (size % 2 != 0) throw new DataFormatException($"{name}: the data chunk has an odd number of bytes for 16-bit samples.");
                var samples = new short[size / 2];
                for (int i = 0; i < samples.Length; i++) samples[i] = BitConverter.ToInt16(span.Slice(body + 2 * i, 2));
                return new WavAudio(samples, sampleRate.Value);
            }
            position = body + size + (size & 1);                                     // chunks are padded to even sizes
        }
        throw new DataFormatException(sampleRate is null ? $"{name}: no fmt chunk." : $"{name}: no data chunk.");
    }

    /// <summary>Writes <paramref name="audio"/> to <paramref name="path"/> as a canonical 44-byte-header PCM WAV (atomically).</summary>
    public static void Write(string path, WavAudio audio) => AtomicFile.Write(path, tmp => File.WriteAllBytes(tmp, ToBytes(audio)));

    /// <summary>The bytes of a canonical PCM 16-bit mono WAV holding <paramref name="audio"/>.</summary>
    public static byte[] ToBytes(WavAudio audio)
    {
        if (audio.SampleRate <= 0) throw new ArgumentException($"Invalid sample rate {audio.SampleRate}.");
        int dataBytes = checked(audio.Samples.Length * 2);
        using var stream = new MemoryStream(44 + dataBytes);
        using var w = new BinaryWriter(stream);
        w.Write(Encoding.ASCII.GetBytes("RIFF"));
        w.Write(36 + dataBytes);
        w.Write(Encoding.ASCII.GetBytes("WAVEfmt "));
        w.Write(16);
        w.Write(PcmFormat);
        w.Write((ushort)1);                 // channels
        w.Write(audio.SampleRate);
        w.Write(audio.SampleRate * 2);      // byte rate
        w.Write((ushort)2);                 // block align
        w.Write((ushort)16);                // bits per sample
        w.Write(Encoding.ASCII.GetBytes("data"));
        w.Write(dataBytes);
        foreach (short s in audio.Samples) w.Write(s);
        w.Flush();
        return stream.ToArray();
    }

    private static string Tag(ReadOnlySpan<byte> span, int offset) => Encoding.ASCII.GetString(span.Slice(offset, 4));

    private static string Printable(string tag) => new(tag.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

using System.Text;
using NAudio.Wave;
using Tractable.IO;

namespace Tractable.Data.Audio;

/// <summary>Mono audio: samples in [−1, 1] and their rate.</summary>
/// <param name="Samples">The samples, full scale ±1 (16-bit PCM sample <c>s</c> is <c>s / 32768</c>).</param>
/// <param name="SampleRate">Samples per second.</param>
public sealed record WavAudio(float[] Samples, int SampleRate)
{
    /// <summary>The duration in seconds.</summary>
    public double Seconds => (double)Samples.Length / SampleRate;
}

/// <summary>
/// Reads RIFF WAVE files of PCM samples (8-bit unsigned, 16, 24 or 32-bit signed) or IEEE float samples (32 or 64-bit),
/// plain or WAVE_FORMAT_EXTENSIBLE, with any number of channels at any rate, as mono audio in [−1, 1]: integers are
/// scaled by 2^(1−bits) (8-bit ones centred on 128 first) and the channels of each frame averaged. Writes 16-bit PCM mono.
/// <para>
/// The chunk walk is strict and this class's own: a chunk that runs past the end of the file, a data chunk that is
/// not a whole number of frames, a header that contradicts itself, compressed formats and non-finite float samples
/// are a <see cref="DataFormatException"/> that names the file and what is wrong. NAudio's sample providers turn the
/// checked data chunk into floats (docs/wavenet.md says why its own file reader is not used). Unknown chunks (LIST,
/// fact, …) are skipped.
/// </para>
/// </summary>
public static class WavFile
{
    /// <summary>The highest sample rate accepted: above it a header is taken to be damaged, not audio.</summary>
    public const int MaxSampleRate = 768_000;

    /// <summary>The most channels accepted (more than any recording layout uses).</summary>
    public const int MaxChannels = 256;

    private const ushort PcmFormat = 1;
    private const ushort FloatFormat = 3;
    private const ushort ExtensibleFormat = 0xFFFE;

    /// <summary>The layout of the samples, from the fmt chunk.</summary>
    private sealed record SampleLayout(WaveFormatEncoding Encoding, int Channels, int SampleRate, int Bits)
    {
        public int FrameBytes => Channels * Bits / 8;
    }

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
        SampleLayout? layout = null;
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
                if (size < 16) throw new DataFormatException($"{name}: truncated fmt chunk.");
                layout = ReadLayout(span.Slice(body, (int)size), name);
            }
            else if (id == "data")
            {
                if (layout is null) throw new DataFormatException($"{name}: data chunk before the fmt chunk.");
                if (body + size > span.Length) throw new DataFormatException($"{name}: truncated, the data chunk declares {size} bytes but {span.Length - body} remain.");
                return Decode(bytes, body, (int)size, layout, name);
            }
            position = body + size + (size & 1);                                     // chunks are padded to even sizes
        }
        throw new DataFormatException(layout is null ? $"{name}: no fmt chunk." : $"{name}: no data chunk.");
    }

    /// <summary>The sample layout a fmt chunk declares, checked to be one this reader converts.</summary>
    private static SampleLayout ReadLayout(ReadOnlySpan<byte> fmt, string name)
    {
        ushort format = BitConverter.ToUInt16(fmt[..2]);
        ushort channels = BitConverter.ToUInt16(fmt.Slice(2, 2));
        int rate = BitConverter.ToInt32(fmt.Slice(4, 4));
        ushort blockAlign = BitConverter.ToUInt16(fmt.Slice(12, 2));
        ushort bits = BitConverter.ToUInt16(fmt.Slice(14, 2));
        if (format == ExtensibleFormat)
        {
            if (fmt.Length < 26) throw new DataFormatException($"{name}: truncated WAVE_FORMAT_EXTENSIBLE fmt chunk.");
            format = BitConverter.ToUInt16(fmt.Slice(24, 2));                           // the sub-format GUID starts with the format code
        }
        WaveFormatEncoding encoding = format switch
        {
            PcmFormat => bits is 8 or 16 or 24 or 32 ? WaveFormatEncoding.Pcm
                : throw new DataFormatException($"{name}: {bits}-bit PCM samples are not supported; PCM samples are 8, 16, 24 or 32-bit."),
            FloatFormat => bits is 32 or 64 ? WaveFormatEncoding.IeeeFloat
                : throw new DataFormatException($"{name}: {bits}-bit IEEE float samples are not supported; float samples are 32 or 64-bit."),
            _ => throw new DataFormatException($"{name}: audio format {format} is not supported; PCM (1) and IEEE float (3) are, plain or WAVE_FORMAT_EXTENSIBLE (compressed formats are not)."),
        };
        if (channels is 0 or > MaxChannels) throw new DataFormatException($"{name}: {channels} channels; a WAV file holds 1 to {MaxChannels}.");
        if (rate is <= 0 or > MaxSampleRate) throw new DataFormatException($"{name}: invalid sample rate {rate} Hz (1 to {MaxSampleRate} Hz are accepted).");
        var layout = new SampleLayout(encoding, channels, rate, bits);
        if (blockAlign != layout.FrameBytes)
            throw new DataFormatException($"{name}: the fmt chunk declares {blockAlign}-byte frames, but {channels} channel(s) of {bits}-bit samples take {layout.FrameBytes} bytes.");
        return layout;
    }

    /// <summary>The data chunk's samples as mono floats: NAudio converts them, the channels of each frame are averaged.</summary>
    private static WavAudio Decode(byte[] bytes, int offset, int count, SampleLayout layout, string name)
    {
        if (count % layout.FrameBytes != 0)
            throw new DataFormatException($"{name}: the data chunk holds {count} bytes, not a whole number of {layout.FrameBytes}-byte frames.");
        var format = WaveFormat.CreateCustomFormat(layout.Encoding, layout.SampleRate, layout.Channels,
            layout.SampleRate * layout.FrameBytes, layout.FrameBytes, layout.Bits);
        ISampleProvider decoder = new RawSourceWaveStream(bytes, offset, count, format).ToSampleProvider();
        var interleaved = new float[count / (layout.Bits / 8)];
        for (int read = 0, n; read < interleaved.Length; read += n)
            if ((n = decoder.Read(interleaved.AsSpan(read))) <= 0)
                throw new DataFormatException($"{name}: the data chunk ended after {read} of {interleaved.Length} samples.");
        int channels = layout.Channels;
        var mono = new float[interleaved.Length / channels];
        for (int i = 0; i < mono.Length; i++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++) sum += interleaved[i * channels + c];
            mono[i] = (float)(sum / channels);
            if (!float.IsFinite(mono[i])) throw new DataFormatException($"{name}: sample {i} is not a finite number (NaN or infinity).");
        }
        return new WavAudio(mono, layout.SampleRate);
    }

    /// <summary>Writes <paramref name="audio"/> to <paramref name="path"/> as a canonical 44-byte-header PCM WAV (atomically).</summary>
    public static void Write(string path, WavAudio audio) => AtomicFile.Write(path, tmp => File.WriteAllBytes(tmp, ToBytes(audio)));

    /// <summary>
    /// The bytes of a canonical PCM 16-bit mono WAV holding <paramref name="audio"/>: each sample <c>x</c> becomes
    /// <c>round(32768 x)</c>, clipped to the 16-bit range, so that a 16-bit file read and written again is unchanged.
    /// </summary>
    public static byte[] ToBytes(WavAudio audio)
    {
        if (audio.SampleRate is <= 0 or > MaxSampleRate) throw new ArgumentException($"Invalid sample rate {audio.SampleRate}.");
        int bad = Array.FindIndex(audio.Samples, s => !float.IsFinite(s));
        if (bad >= 0) throw new ArgumentException($"Audio samples must be finite; sample {bad} is {audio.Samples[bad]}.");
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
        foreach (float s in audio.Samples) w.Write((short)Math.Clamp(Math.Round(s * 32768.0), short.MinValue, short.MaxValue));
        w.Flush();
        return stream.ToArray();
    }

    private static string Tag(ReadOnlySpan<byte> span, int offset) => Encoding.ASCII.GetString(span.Slice(offset, 4));

    private static string Printable(string tag) => new(tag.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

using System.Buffers.Binary;
using System.Text;
using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.Tests.Support;

namespace Tractable.Tests.Audio;

/// <summary>
/// WAV files of every PCM and float layout, any channel count and any rate become mono audio in [−1, 1] at one rate:
/// the converted samples are checked against values worked out by hand, the resampler against ideal sines.
/// </summary>
public sealed class AudioConversionTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>The bytes of a WAV file: a fmt chunk of <paramref name="format"/> (WAVE_FORMAT_EXTENSIBLE with that sub-format when asked) and <paramref name="data"/>.</summary>
    internal static byte[] Wav(ushort format, int channels, int rate, int bits, byte[] data, bool extensible = false)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        int fmtSize = extensible ? 40 : 16;
        w.Write(Encoding.ASCII.GetBytes("RIFF"));
        w.Write(4 + 8 + fmtSize + 8 + data.Length);
        w.Write(Encoding.ASCII.GetBytes("WAVEfmt "));
        w.Write(fmtSize);
        w.Write(extensible ? (ushort)0xFFFE : format);
        w.Write((ushort)channels);
        w.Write(rate);
        w.Write(rate * channels * bits / 8);
        w.Write((ushort)(channels * bits / 8));
        w.Write((ushort)bits);
        if (extensible)
        {
            w.Write((ushort)22);                                                   // cbSize
            w.Write((ushort)bits);                                                 // valid bits
            w.Write(channels == 2 ? 3 : 0);                                        // channel mask
            // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00AA00389B71}
            w.Write(new Guid(format, 0, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71).ToByteArray());
        }
        w.Write(Encoding.ASCII.GetBytes("data"));
        w.Write(data.Length);
        w.Write(data);
        return stream.ToArray();
    }

    private static byte[] Int24(params int[] values) =>
        values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8), (byte)(v >> 16) }).ToArray();

    private static byte[] Bytes<T>(params T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static IEnumerable<object[]> Layouts()
    {
        // 8-bit PCM is unsigned, centred on 128.
        yield return ["8-bit", Wav(1, 1, 8000, 8, [0, 128, 255, 64]), new[] { -1f, 0f, 127 / 128f, -0.5f }];
        // Stereo frames (L, R) average to mono.
        yield return ["16-bit stereo", Wav(1, 2, 8000, 16, Bytes<short>(16384, -16384, 32767, 32767, -32768, 0)), new[] { 0f, 32767 / 32768f, -0.5f }];
        yield return ["24-bit", Wav(1, 1, 8000, 24, Int24(8_388_607, -8_388_608, 1, 4_194_304)), new[] { 8_388_607 / 8_388_608f, -1f, 1 / 8_388_608f, 0.5f }];
        yield return ["32-bit", Wav(1, 1, 8000, 32, Bytes(int.MinValue, 1 << 30, -(1 << 29))), new[] { -1f, 0.5f, -0.25f }];
        yield return ["float 3 channels", Wav(3, 3, 8000, 32, Bytes(0.5f, -0.25f, 1f, 0f, 0f, 0.75f)), new[] { 1.25f / 3, 0.25f }];
        yield return ["float64", Wav(3, 1, 8000, 64, Bytes(0.125, -0.75)), new[] { 0.125f, -0.75f }];
        yield return ["extensible 24-bit stereo", Wav(1, 2, 8000, 24, Int24(4_194_304, 0, -8_388_608, -8_388_608), extensible: true), new[] { 0.25f, -1f }];
        yield return ["extensible float", Wav(3, 1, 8000, 32, Bytes(0.3f, -0.6f), extensible: true), new[] { 0.3f, -0.6f }];
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EveryLayoutIsReadAsMonoInOneRange(string layout, byte[] bytes, float[] expected)
    {
        WavAudio audio = WavFile.Read(bytes, layout + ".wav");
        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(expected.Length, audio.Samples.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], audio.Samples[i], 6);
    }

    public static IEnumerable<object[]> Refusals()
    {
        yield return [Wav(6, 1, 8000, 8, [1, 2]), "audio format 6 is not supported"];                       // A-law
        yield return [Wav(1, 1, 8000, 12, [1, 2, 3, 4]), "12-bit PCM samples are not supported"];
        yield return [Wav(3, 1, 8000, 16, [1, 2]), "16-bit IEEE float samples are not supported"];
        yield return [Wav(1, 0, 8000, 16, [1, 2]), "0 channels"];
        yield return [Wav(1, 1, 0, 16, [1, 2]), "invalid sample rate 0 Hz"];
        yield return [Wav(1, 2, 8000, 16, [1, 2, 3, 4, 5, 6]), "6 bytes, not a whole number of 4-byte frames"];
        yield return [Wav(3, 1, 8000, 32, Bytes(0.5f, float.NaN)), "sample 1 is not a finite number"];
        yield return [Wav(3, 1, 8000, 64, Bytes(double.PositiveInfinity)), "sample 0 is not a finite number"];
        byte[] badAlign = Wav(1, 1, 8000, 16, [1, 2]);
        badAlign[32] = 4;                                                                                      // block align
        yield return [badAlign, "declares 4-byte frames, but 1 channel(s) of 16-bit samples take 2 bytes"];
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void UnconvertibleFilesAreRefusedByName(byte[] bytes, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => WavFile.Read(bytes, "odd.wav"));
        Assert.StartsWith("odd.wav: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    private static float[] Sine(double frequency, int rate, int length, double amplitude = 0.5) =>
        Enumerable.Range(0, length).Select(t => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * t / rate))).ToArray();

    /// <summary>The largest difference from the ideal sine away from the ends (where the input stops).</summary>
    private static double InteriorError(float[] actual, float[] ideal, int margin) =>
        Enumerable.Range(margin, actual.Length - 2 * margin).Max(i => Math.Abs(actual[i] - ideal[i]));

    [Theory]
    [InlineData(8000, 16000, 440)]
    [InlineData(44100, 16000, 1000)]
    [InlineData(48000, 16000, 3000)]
    [InlineData(16000, 8000, 440)]
    [InlineData(22050, 16000, 2500)]
    public void ResamplingKeepsASinesFrequencyPhaseAndAmplitude(int from, int to, double frequency)
    {
        float[] resampled = AudioResampler.Resample(Sine(frequency, from, from / 2), from, to);
        Assert.Equal((long)(from / 2) * to / from, resampled.Length);
        // The same sine sampled at the new rate, sample for sample: a wrong frequency, delay or gain would show here.
        Assert.True(InteriorError(resampled, Sine(frequency, to, resampled.Length), margin: AudioResampler.FilterTaps) < 2e-4);
    }

    [Fact]
    public void EightToSixteenKilohertzDoublesTheLengthExactly()
    {
        Assert.Equal(2 * 8001, AudioResampler.Resample(new float[8001], 8000, 16000).Length);
        Assert.Equal(3, AudioResampler.Resample(new float[7], 16000, 8000).Length);                    // ⌊7 / 2⌋: the duration kept
        Assert.Equal(363, AudioResampler.Resample(new float[1001], 44100, 16000).Length);             // ⌊363.17⌋
        float[] same = [0.5f, -0.5f];
        Assert.Same(same, AudioResampler.Resample(same, 16000, 16000));
    }

    [Fact]
    public void DownsamplingFiltersOutWhatTheNewRateCannotHold()
    {
        // A 10 kHz tone cannot exist at 16 kHz (Nyquist 8 kHz); unfiltered, it would fold back to 6 kHz at full amplitude.
        float[] aliased = AudioResampler.Resample(Sine(10_000, 44_100, 22_050), 44_100, 16_000);
        double rms = Math.Sqrt(aliased.Skip(300).Take(aliased.Length - 600).Average(s => (double)s * s));
        Assert.True(rms < 1e-3, $"rms {rms}");
    }

    private string Folder(string name, params (string File, byte[] Bytes)[] files)
    {
        string root = Path.Combine(folder, name);
        Directory.CreateDirectory(root);
        foreach (var (file, bytes) in files) File.WriteAllBytes(Path.Combine(root, file), bytes);
        return root;
    }

    private static byte[] Pcm16At(int rate, int length, double frequency = 300) =>
        WavFile.ToBytes(new WavAudio(Sine(frequency, rate, length), rate));

    /// <summary>A stereo 24-bit file of a sine at <paramref name="rate"/>, the same in both channels.</summary>
    private static byte[] Stereo24At(int rate, int length, double frequency = 300) =>
        Wav(1, 2, rate, 24, Int24(Sine(frequency, rate, length).SelectMany(s => new[] { (int)(s * 8_388_608), (int)(s * 8_388_608) }).ToArray()));

    [Fact]
    public void AFolderOfMixedLayoutsAndRatesIsConvertedToOneRate()
    {
        string root = Folder("mixed", ("a.wav", Pcm16At(8000, 4000)), ("b.wav", Stereo24At(16000, 8000)), ("c.wav", Pcm16At(16000, 6000)),
            ("d.wav", Wav(3, 1, 16000, 32, Bytes(Sine(300, 16000, 5000)))));
        SpeechDataset byDefault = SpeechDataset.Load(root);
        Assert.Equal(16000, byDefault.SampleRate);                                 // three of the four files are at 16 kHz
        Assert.Equal(8000 + 8000 + 6000 + 5000, Total(byDefault));                 // a.wav doubled in length
        SpeechDataset at8k = SpeechDataset.Load(root, new DataOptions { SampleRate = 8000 });
        Assert.Equal(8000, at8k.SampleRate);
        Assert.Equal(4000 + 4000 + 3000 + 2500, Total(at8k));
        var e = Assert.Throws<InvalidSettingException>(() => SpeechDataset.Load(root, new DataOptions { SampleRate = 100 }));
        Assert.Equal("SampleRate", e.Setting);
    }

    [Fact]
    public void OnATieTheHighestRateIsTheDefault()
    {
        string root = Folder("tie", ("a.wav", Pcm16At(8000, 800)), ("b.wav", Pcm16At(22050, 2205)), ("c.wav", Pcm16At(8000, 800)), ("d.wav", Pcm16At(22050, 2205)));
        Assert.Equal(22050, SpeechDataset.Load(root).SampleRate);
    }

    private static long Total(SpeechDataset d) => d.Train.shape[0] + d.Validation.Sum(t => t.shape[0]) + d.Test.Sum(t => t.shape[0]);

    [Fact]
    public void AnEmptyDataChunkIsRefusedByName()
    {
        string root = Folder("empty", ("a.wav", Pcm16At(8000, 800)), ("b.wav", Pcm16At(8000, 800)), ("c.wav", Wav(1, 2, 8000, 24, [])));
        var e = Assert.Throws<DataFormatException>(() => SpeechDataset.Load(root));
        Assert.Contains("c.wav: 0 samples (an empty data chunk)", e.Message);
    }

    [Fact]
    public void OnlyFilesHoldingTheReceptiveFieldAreHeldOut()
    {
        // Twenty files, the even ones shorter than a receptive field of 1,000 samples: every held-out file is a long
        // one, and the short ones train.
        var files = Enumerable.Range(0, 20).Select(i => ($"f{i:D2}.wav", Pcm16At(8000, i % 2 == 0 ? 600 : 1000 + i))).ToArray();
        string root = Folder("crop", files);
        for (long seed = 0; seed < 4; seed++)
        {
            SpeechDataset d = SpeechDataset.Load(root, new DataOptions { Seed = seed }, receptiveField: 1000);
            Assert.Equal(3, d.Test.Count + d.Validation.Count);
            Assert.All(d.Test.Concat(d.Validation), t => Assert.True(t.shape[0] >= 1000));
            Assert.Equal(10 * 600 + Enumerable.Range(0, 10).Sum(k => 1000 + 2 * k + 1), Total(d));
        }
        // A 7-sample file is refused outright; so is a folder with too few files long enough to score.
        string tiny = Folder("tiny", ("a.wav", Pcm16At(8000, 800)), ("b.wav", Pcm16At(8000, 800)), ("c.wav", Pcm16At(8000, 7)));
        Assert.Contains("c.wav: 7 samples; every file must hold at least 160 (20 ms at 8000 Hz)",
            Assert.Throws<DataFormatException>(() => SpeechDataset.Load(tiny)).Message);
        string shortFiles = Folder("short", ("a.wav", Pcm16At(8000, 800)), ("b.wav", Pcm16At(8000, 800)), ("c.wav", Pcm16At(8000, 5000)));
        var e = Assert.Throws<DataFormatException>(() => SpeechDataset.Load(shortFiles, receptiveField: 2048));
        Assert.Contains("1 of 3 files hold the model's receptive field of 2048 samples (256 ms at 8000 Hz); the validation and test splits need 2 such files", e.Message);
    }
}

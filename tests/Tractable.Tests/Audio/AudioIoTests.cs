using System.Text;
using Tractable.Data;
using Tractable.Data.Audio;
using static TorchSharp.torch;
using Tractable.Tests.Support;

namespace Tractable.Tests.Audio;

/// <summary>WAV reading and writing, and µ-law companding.</summary>
public sealed class AudioIoTests
{
    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(44100)]
    public void WavWriteThenReadIsBitExact(int rate)
    {
        var random = new Random(rate);
        short[] pcm = Enumerable.Range(0, 1001).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1))
            .Append(short.MinValue).Append(short.MaxValue).ToArray();
        using var folder = new TempDirectory();
        string path = folder.File("audio.wav");
        WavFile.Write(path, Pcm16.Audio(pcm, rate));
        WavAudio back = WavFile.Read(path);
        Assert.Equal(rate, back.SampleRate);
        Assert.Equal(pcm.Select(s => s / 32768f), back.Samples);
        Assert.Equal(44 + 2 * pcm.Length, new FileInfo(path).Length);
        Assert.Equal(File.ReadAllBytes(path), WavFile.ToBytes(back));            // read and written again: the same bytes
    }

    [Fact]
    public void WritingClipsToTheSixteenBitRange()
    {
        byte[] bytes = WavFile.ToBytes(new WavAudio([1f, -1f, 2f, -2f, 0.5f], 8000));
        Assert.Equal(new[] { 32767f, -32768f, 32767f, -32768f, 16384f }, WavFile.Read(bytes, "clip.wav").Samples.Select(s => s * 32768f));
        Assert.Throws<ArgumentException>(() => WavFile.ToBytes(new WavAudio([float.NaN], 8000)));
    }

    [Fact]
    public void ExtraChunksAreSkipped()
    {
        byte[] plain = WavFile.ToBytes(Pcm16.Audio([1, -2, 3], 8000));
        // Insert a LIST chunk of odd size (padded to even) between fmt and data.
        byte[] list = [.. Encoding.ASCII.GetBytes("LIST"), 3, 0, 0, 0, 65, 66, 67, 0];
        byte[] bytes = [.. plain[..36], .. list, .. plain[36..]];
        Assert.Equal(new[] { 1 / 32768f, -2 / 32768f, 3 / 32768f }, WavFile.Read(bytes, "list.wav").Samples);
    }

    public static IEnumerable<object[]> Corrupt()
    {
        byte[] good = WavFile.ToBytes(Pcm16.Audio([1, 2, 3, 4], 8000));
        byte[] With(int offset, params byte[] value)
        {
            byte[] b = (byte[])good.Clone();
            value.CopyTo(b, offset);
            return b;
        }
        yield return [Encoding.ASCII.GetBytes("not a wav file at all"), "not a RIFF WAVE"];
        yield return [good[..12], "no fmt chunk"];
        yield return [good[..20], "truncated fmt chunk"];
        yield return [good[..48], "truncated"];
        yield return [With(22, 0, 0), "0 channels"];
        yield return [With(34, 12, 0), "12-bit PCM"];
        yield return [With(20, 3, 0), "16-bit IEEE float"];
        yield return [With(20, 2, 0), "audio format 2 is not supported"];
        yield return [good[..36], "no data chunk"];
    }

    [Theory]
    [MemberData(nameof(Corrupt))]
    public void UnsupportedOrCorruptFilesGiveClearErrors(byte[] bytes, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => WavFile.Read(bytes, "x.wav"));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("x.wav", error.Message);
    }

    [Fact]
    public void MissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => WavFile.Read("/nonexistent/file.wav"));

    [Fact]
    public void MuLawRoundTripErrorIsWithinHalfAQuantizationStep()
    {
        // Decoding returns the centre of the level's bin: in the companded domain the error is at most 1/µ. The
        // expansion's slope is ln(1+µ)(1/µ + |x|), so with c = ln(1+µ)/µ the amplitude error e satisfies
        // e ≤ c (1/µ + |x| + e), i.e. e ≤ c (1/µ + |x|) / (1 − c): about 0.2% of full scale near silence, 2.2% at full scale.
        Tensor x = linspace(-1, 1, 200_001, dtype: float64);
        Tensor back = MuLaw.Decode(MuLaw.Encode(x)).to(float64);
        double c = Math.Log(1 + MuLaw.Mu) / MuLaw.Mu;
        Tensor bound = (x.abs() + 1.0 / MuLaw.Mu) * (c / (1 - c)) + 1e-6;
        Assert.True((back - x).abs().le(bound).all().item<bool>());
        Assert.True((back - x).abs().max().item<double>() < 0.0224);
        Assert.True((back - x).abs().narrow(0, 100_000, 1).item<double>() < 1e-4);     // silence: level 128, amplitude 8.6e-5
    }

    [Fact]
    public void MuLawLevelsSurviveDecodeThenEncode()
    {
        Tensor levels = arange(256);
        Assert.Equal(levels.data<long>().ToArray(), MuLaw.Encode(MuLaw.Decode(levels)).data<long>().ToArray());
        Assert.Equal(MuLaw.SilenceLevel, MuLaw.Encode(zeros(1)).item<long>());
        Assert.Equal(0, MuLaw.Encode(tensor(new[] { -1.0 })).item<long>());
        Assert.Equal(255, MuLaw.Encode(tensor(new[] { 1.0 })).item<long>());
        float[] samples = MuLaw.DecodeSamples(levels);
        Assert.Equal(levels.data<long>().ToArray(), MuLaw.Encode(tensor(samples)).data<long>().ToArray());
    }
}

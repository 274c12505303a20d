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
        short[] samples = Enumerable.Range(0, 1001).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1))
            .Append(short.MinValue).Append(short.MaxValue).ToArray();
        using var folder = new TempDirectory();
        string path = folder.File("audio.wav");
        WavFile.Write(path, new WavAudio(samples, rate));
        WavAudio back = WavFile.Read(path);
        Assert.Equal(rate, back.SampleRate);
        Assert.Equal(samples, back.Samples);
        Assert.Equal(44 + 2 * samples.Length, new FileInfo(path).Length);
    }

    [Fact]
    public void ExtraChunksAreSkipped()
    {
        byte[] plain = WavFile.ToBytes(new WavAudio([1, -2, 3], 8000));
        // Insert a LIST chunk of odd size (padded to even) between fmt and data.
        byte[] list = [.. Encoding.ASCII.GetBytes("LIST"), 3, 0, 0, 0, 65, 66, 67, 0];
        byte[] bytes = [.. plain[..36], .. list, .. plain[36..]];
        Assert.Equal(new short[] { 1, -2, 3 }, WavFile.Read(bytes, "list.wav").Samples);
    }

    public static IEnumerable<object[]> Corrupt()
    {
        byte[] good = WavFile.ToBytes(new WavAudio([1, 2, 3, 4], 8000));
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
        yield return [With(22, 2, 0), "2 channels"];
        yield return [With(34, 8, 0), "8-bit"];
        yield return [With(20, 3, 0), "format 3"];
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
        short[] pcm = MuLaw.DecodePcm(levels);
        Assert.Equal(levels.data<long>().ToArray(), MuLaw.EncodePcm(pcm).data<long>().ToArray());
    }
}

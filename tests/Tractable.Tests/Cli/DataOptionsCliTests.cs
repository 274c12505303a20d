using System.Text.Json;
using Tractable.Cli;
using Tractable.Data.Audio;
using Tractable.Tests.Audio;
using Tractable.Tests.Support;

namespace Tractable.Tests.Cli;

/// <summary>A user's own tables and audio from the command line: --columns, --missing, --sample-rate, and sampled CSV files.</summary>
[Collection(Support.Sequential.Name)]
public sealed class DataOptionsCliTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private string P(string name) => folder.File(name);

    private static readonly string[] Quick = ["--steps", "10", "--eval-every", "5", "--threads", "1"];

    private static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(output) });
        Spectre.Console.AnsiConsole.Console.Profile.Width = 1000;                   // messages on one line, whatever the paths
        try
        {
            return (TractableCli.Run(args), output.ToString().Replace("\n", " "));
        }
        finally
        {
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings());
        }
    }

    /// <summary>A weather table: a text column, three numeric ones, and a gap in every seventh humidity.</summary>
    private string Weather()
    {
        var random = new Random(3);
        string rows = string.Join("\n", Enumerable.Range(0, 60).Select(i =>
            $"S{i % 3},{10 + 5 * random.NextDouble():F2},{(i % 7 == 3 ? "NA" : $"{60 + 20 * random.NextDouble():F1}")},{random.NextDouble() * 1e-4:F7}"));
        string path = P("weather.csv");
        File.WriteAllText(path, "station,temp,humidity,rain\n" + rows + "\n");
        return path;
    }

    [Fact]
    public void ATableTrainsOnChosenColumnsAndSamplesWithTheirNames()
    {
        string run = P("run");
        var (code, output) = Run(["train", "--model", "realnvp", "--data", "csv:" + Weather(), "--columns", "temp,humidity,4", "--missing", "drop",
            "--layers", "2", "--hidden", "8", "--out", run, .. Quick]);
        Assert.True(code == 0, output);
        JsonElement spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))).RootElement;
        Assert.Equal("temp,humidity,4", spec.GetProperty("columns").GetString());
        Assert.Equal("drop", spec.GetProperty("missing_values").GetString());
        Assert.Equal(["temp", "humidity", "rain"], spec.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal(0, Run("sample", "--run", run, "-n", "40", "--seed", "2", "--out", P("s.csv")).Code);
        string[] lines = File.ReadAllLines(P("s.csv"));
        Assert.Equal("temp,humidity,rain", lines[0]);
        Assert.Equal(41, lines.Length);
        // Plain numbers: no exponent even for the small rain values, and each one reads back as a number.
        Assert.All(lines.Skip(1).SelectMany(l => l.Split(',')), cell =>
        {
            Assert.DoesNotContain("E", cell, StringComparison.OrdinalIgnoreCase);
            Assert.True(double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), cell);
        });
        Assert.Equal(0, Run("eval", "--run", run, "--out", P("eval")).Code);                    // the run reloads its table as it trained on it
        Assert.Equal(0, Run("train", "--out", run, "--resume", "--steps", "12", "--threads", "1").Code);
    }

    [Theory]
    [InlineData(new[] { "--columns", "temp,humidity" }, "weather.csv: row 5, column 3: a missing value ('NA' in 'humidity')")]
    [InlineData(new[] { "--columns", "temp,pressure" }, "--columns: weather.csv has no column 'pressure'")]
    [InlineData(new[] { "--columns", "temp", "--missing", "maybe" }, "--missing")]
    [InlineData(new[] { "--columns", "station,temp" }, "'S0' is not a number")]
    public void BadTableOptionsExitTwoWithAClearMessage(string[] options, string expected)
    {
        var (code, output) = Run(["train", "--model", "realnvp", "--data", "csv:" + Weather(), .. options, "--out", P("bad"), .. Quick]);
        Assert.Equal(2, code);
        Assert.Contains(expected, output);
        Assert.False(Directory.Exists(P("bad")) && Directory.EnumerateFileSystemEntries(P("bad")).Any());
    }

    [Fact]
    public void OptionsOfOtherDataAreRefused()
    {
        var (code, output) = Run(["train", "--model", "realnvp", "--data", "moons", "--columns", "1", "--out", P("m"), .. Quick]);
        Assert.Equal(2, code);
        Assert.Contains("--columns: 'moons' is not a CSV table", output);
        (code, output) = Run(["train", "--model", "realnvp", "--data", "moons", "--sample-rate", "8000", "--out", P("m"), .. Quick]);
        Assert.Equal(2, code);
        Assert.Contains("--sample-rate is not an option of model 'realnvp'", output);
    }

    [Fact]
    public void StereoTwentyFourBitAudioAtAnotherRateTrainsAtTheStatedRate()
    {
        string root = P("speech");
        Directory.CreateDirectory(root);
        for (int i = 0; i < 6; i++)
        {
            // Stereo 24-bit at 16 kHz, a different tone in each channel.
            int[] frames = Enumerable.Range(0, 3200).SelectMany(t => new[]
            {
                (int)(2_000_000 * Math.Sin(2 * Math.PI * (200 + 50 * i) * t / 16000.0)), (int)(1_000_000 * Math.Sin(2 * Math.PI * 900 * t / 16000.0)),
            }).ToArray();
            byte[] data = frames.SelectMany(v => new[] { (byte)v, (byte)(v >> 8), (byte)(v >> 16) }).ToArray();
            File.WriteAllBytes(Path.Combine(root, $"f{i}.wav"), AudioConversionTests.Wav(1, 2, 16000, 24, data));
        }
        string run = P("wavenet");
        var (code, output) = Run(["train", "--model", "wavenet", "--data", $"speech:{root}", "--sample-rate", "8000", "--layers", "1", "--hidden", "4",
            "--crop", "256", "--batch-size", "2", "--out", run, "--steps", "4", "--eval-every", "2", "--threads", "1"]);
        Assert.True(code == 0, output);
        Assert.Equal(8000, JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))).RootElement.GetProperty("sample_rate").GetInt32());
        JsonElement m = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json"))).RootElement;
        Assert.Equal(1600, m.GetProperty("num_examples").GetInt64());                      // one held-out file of 3,200 samples at 16 kHz, halved
        Assert.True(double.IsFinite(m.GetProperty("nll_nats").GetDouble()));
        Assert.Equal(0, Run("sample", "--run", run, "--seconds", "0.02", "--out", P("s.wav")).Code);
        Assert.Equal(8000, WavFile.Read(P("s.wav")).SampleRate);

        (code, output) = Run(["train", "--model", "wavenet", "--data", $"speech:{root}", "--sample-rate", "100", "--out", P("slow"), .. Quick]);
        Assert.Equal(2, code);
        Assert.Contains("--sample-rate: The sample rate must be 1000 to 768000 Hz, got 100", output);
        (code, output) = Run(["train", "--model", "wavenet", "--data", $"speech:{root}", "--layers", "4", "--out", P("long"), .. Quick]);
        Assert.Equal(2, code);
        Assert.Contains("0 of 6 files hold the model's receptive field of 4094 samples", output);
    }
}

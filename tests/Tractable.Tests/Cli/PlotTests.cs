using Tractable.Cli;
using Tractable.Cli.Commands;
using Tractable.Runs;
using Tractable.Tests.Support;
using static TorchSharp.torch;

namespace Tractable.Tests.Cli;

/// <summary>The pictures: image grids (layout, scale), the learning curve's two series and units, the spectrogram's axes.</summary>
[Collection(Sequential.Name)]
public sealed class PlotTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void AGridPlacesEachImageInItsCellAtItsScale()
    {
        using var scope = NewDisposeScope();
        Tensor images = tensor(new[] { 0.1f, 0.2f, 0.3f }).reshape(3, 1, 1, 1).expand(3, 1, 2, 2);
        Tensor grid = SampleGrid.Tile(images, perRow: 2, padding: 1, scale: 2);     // cells of 2·2 + 1 padding
        Assert.Equal([1L, 11, 11], grid.shape);
        float At(int row, int column) => grid[0, row, column].item<float>();
        Assert.Equal(1f, At(0, 0));                                                   // padding is white
        Assert.Equal(0.1f, At(1, 1));
        Assert.Equal(0.1f, At(4, 4));                                                 // a 2x2 image drawn 4x4
        Assert.Equal(0.2f, At(1, 6));
        Assert.Equal(0.3f, At(6, 1));
        Assert.Equal(1f, At(6, 6));                                                   // the missing fourth image is blank
        Assert.Throws<InvalidSettingException>(() => SampleGrid.Tile(images, perRow: 2, scale: 0));
    }

    [Fact]
    public void TheCurveHoldsTrainingLossAndValidationInTheResultsUnits()
    {
        string run = folder.File("run");
        Assert.Equal(0, TractableCli.Run(["train", "--model", "realnvp", "--data", "moons", "--layers", "2", "--hidden", "8", "--steps", "40",
            "--eval-every", "20", "--threads", "1", "--out", run]));
        var nats = CurveCommand.ReadCurve(Path.Combine(run, RunSetup.CurveFile), "step", LikelihoodScale.Nats);
        Assert.Equal([25.0, 40.0], nats.Training.Select(p => p.Item1).Where(s => s is 25 or 40));
        Assert.Equal([20.0, 40.0], nats.Validation.Select(p => p.Item1));
        Assert.True(nats.Training.Count > nats.Validation.Count);
        var bits = CurveCommand.ReadCurve(Path.Combine(run, RunSetup.CurveFile), "step", LikelihoodScale.BitsPerDim(2));
        Assert.Equal(nats.Validation[1].Item2 / (2 * Math.Log(2)), bits.Validation[1].Item2, 12);
        Assert.Equal(0, TractableCli.Run(["curve", "--run", run, "--out", folder.File("curve.png")]));
        Assert.Equal((900, 560), PngFile.Size(folder.File("curve.png")));
    }

    [Fact]
    public void TheSpectrogramIsDrawnOnAxesOfSecondsAndHertz()
    {
        string wav = folder.File("tone.wav");
        Tractable.Data.Audio.WavFile.Write(wav, Support.Pcm16.Audio(
            Enumerable.Range(0, 8000).Select(t => (short)(8000 * Math.Sin(2 * Math.PI * 440 * t / 8000.0))), 8000));
        Assert.Equal(0, TractableCli.Run(["spectrogram", "--wav", wav, "--out", folder.File("tone.png")]));
        Assert.Equal((600, 480), PngFile.Size(folder.File("tone.png")));                   // one second: the narrowest chart
    }
}

using System.Text.Json;
using SkiaSharp;
using Tractable.Cli;
using Tractable.Tests.Data;
using Tractable.Tests.Support;

namespace Tractable.Tests.Cli;

/// <summary>The VAE from the command line: train, the ELBO's terms and the IW bound in metrics.json, sample and reconstruct grids.</summary>
[Collection(Support.Sequential.Name)]
public sealed class VaeCliTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [SkippableSharedDataFact]
    public void TrainEvaluateSampleAndReconstructOnBinarizedMnist()
    {
        string run = folder.File("vae");
        Assert.Equal(0, TractableCli.Run(["train", "--model", "vae", "--data", "mnist-binarized", "--data-dir", CsvTableTests.SharedData, "--posterior", "iaf", "--flow-steps", "2",
            "--latent", "4", "--hidden", "32", "--iw-samples", "5", "--steps", "30", "--eval-every", "30", "--eval-limit", "64",
            "--threads", "1", "--out", run]));
        JsonElement m = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json"))).RootElement;
        double elbo = m.GetProperty("elbo_nats").GetDouble(), nll = m.GetProperty("nll_nats").GetDouble();
        Assert.Equal(5, m.GetProperty("iw_samples").GetInt32());
        Assert.Equal(64, m.GetProperty("num_examples").GetInt32());
        // −ELBO = KL + reconstruction, and the IW bound with k = 5 is below −ELBO up to its noise.
        Assert.Equal(elbo, m.GetProperty("kl_nats").GetDouble() + m.GetProperty("reconstruction_nats").GetDouble(), 1e-6 * elbo);
        Assert.True(nll < elbo + 3 * m.GetProperty("elbo_stderr").GetDouble(), $"IW NLL {nll} against -ELBO {elbo}");

        string samples = folder.File("samples.png"), pairs = folder.File("pairs.png");
        Assert.Equal(0, TractableCli.Run(["sample", "--run", run, "-n", "16", "--seed", "1", "--out", samples]));
        Assert.Equal(0, TractableCli.Run(["sample", "--run", run, "-n", "8", "--seed", "1", "--reconstruct", "--out", pairs]));
        // Binary pixels are drawn black and white, not as levels 0 and 1 of 256.
        foreach (string png in new[] { samples, pairs })
        {
            using SKBitmap bitmap = SKBitmap.Decode(png);
            Assert.Contains(bitmap.Pixels, p => p.Red == 255 && p.Green == 255 && p.Blue == 255);
            Assert.Contains(bitmap.Pixels, p => p.Red == 0);
        }
    }
}

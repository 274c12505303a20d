using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Models.Pixel;

/// <summary>
/// PixelRNN (van den Oord, Kalchbrenner &amp; Kavukcuoglu 2016): LSTM layers over the image in raster order, a kind per
/// variant; both share <see cref="PixelRnnConfig"/> (<c>"model": "pixelrnn"</c> in <c>model.json</c>).
/// </summary>
public abstract class PixelRnnKind(PixelRnnVariant variant) : PixelModelKind<PixelRnnConfig>
{
    /// <inheritdoc />
    public override string ConfigName => "pixelrnn";

    /// <inheritdoc />
    public override SamplingFeatures Sampling => SamplingFeatures.Fast | SamplingFeatures.Classes;

    /// <inheritdoc />
    protected override PixelRnnConfig Fresh() => new() { Variant = variant };

    /// <inheritdoc />
    protected override PixelRnnConfig Configure(DataShape data)
    {
        PixelRnnConfig config = base.Configure(data);
        return config with { HiddenChannels = WholeColourGroups(config.HiddenChannels, config.Colours) };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Batch 16: a Diagonal BiLSTM step over 28×28 images scans 55 skewed columns per layer (docs/pixelrnn.md). Evaluation
    /// in passes of 64 images: a pass of 256 through the Diagonal BiLSTM held 2.5 GB more (4.6 GB in all).
    /// </remarks>
    public override TrainingDefaults Defaults(DataShape data)
    {
        TrainingDefaults shared = base.Defaults(data);
        return shared with { Trainer = shared.Trainer with { BatchSize = 16, EvaluationBatchSize = 64 } };
    }

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "LSTM layers (the paper's MNIST model has 7)", c => c.Layers, (c, v) => c with { Layers = v }),
        Count("hidden", "hidden channels of each LSTM (rounded up to a multiple of the colours)", c => c.HiddenChannels,
            (c, v) => c with { HiddenChannels = WholeColourGroups(v, c.Colours) }),
        Conditional(c => c.NumClasses, (c, k) => c with { NumClasses = k }),
    ];

    /// <summary>The gates split channels into colour groups: <paramref name="channels"/> rounded up to whole groups.</summary>
    private static int WholeColourGroups(int channels, int colours) => (channels + colours - 1) / colours * colours;
}

/// <summary>Row LSTM: rows top to bottom, a triangular context above each pixel (§3.1).</summary>
public sealed class RowLstmKind() : PixelRnnKind(PixelRnnVariant.RowLstm)
{
    /// <inheritdoc />
    public override string Name => "row-lstm";

    /// <inheritdoc />
    public override string Summary => "PixelRNN Row LSTM (van den Oord et al. 2016): row by row, a triangular context";
}

/// <summary>Diagonal BiLSTM: the skewed image scanned diagonal by diagonal in two directions (§3.2).</summary>
public sealed class DiagonalBiLstmKind() : PixelRnnKind(PixelRnnVariant.DiagonalBiLstm)
{
    /// <inheritdoc />
    public override string Name => "diagonal-bilstm";

    /// <inheritdoc />
    public override string Summary => "PixelRNN Diagonal BiLSTM (van den Oord et al. 2016): diagonal scans in two directions";
}

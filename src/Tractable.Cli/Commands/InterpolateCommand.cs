using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.Cli.Runs;
using Tractable.Models;
using Tractable.Data;
using Tractable.IO;
using Tractable.Runs;
using static TorchSharp.torch;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable interpolate</c>: encodes two images of a split with a multi-scale flow, interpolates every latent
/// linearly, and decodes the path into a PNG strip (Glow, arXiv:1807.03039, §5.2).
/// </summary>
public sealed class InterpolateCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "interpolate";

    /// <inheritdoc />
    public string Summary => "Interpolate between two images in a flow's latent space; writes a PNG strip.";

    /// <inheritdoc />
    public string[] Examples => ["tractable interpolate --run runs/glow-mnist --a 0 --b 1 --steps 10 --out strip.png"];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder of an image flow (glow, realnvp-image)"),
        new("a", "index of the first image in the split", "0"),
        new("b", "index of the second image", "1"),
        new("split", "train, validation or test", "test"),
        new("steps", "images in the strip, ends included", "10"),
        new("out", "PNG file to write"),
        new("scale", "screen pixels per image pixel", "auto: images at least 96 pixels across"),
        .. CommonOptions.Runtime,
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string runDir = args.Require("run");
        string outPath = CommonOptions.OutputFile("out", args.Require("out"))!;
        int steps = args.GetInt("steps")!.Value;
        if (steps < 2) throw new UsageException("--steps must be at least 2.");
        RunSpec spec = CommonOptions.ReadSpec(runDir);
        Device device = RunSetup.ParseDevice(args.Get("device") ?? spec.Device);
        if (ModelStore.Load(runDir, device) is not ILatentImageModel flow)
            throw new UsageException($"interpolate needs a model with a latent space over images (e.g. glow, realnvp-image), not '{spec.Model}'.");
        var data = ((ExampleData)RunSetup.LoadData(spec)).Splits;
        var split = data.Get(EnumNames.Parse<SplitName>(args.Require("split"), "split"));
        long a = args.GetLong("a")!.Value, b = args.GetLong("b")!.Value;
        if (a < 0 || b < 0 || a >= split.Count || b >= split.Count)
            throw new UsageException($"--a and --b must be image indices in 0..{split.Count - 1}.");

        using var _ = no_grad();
        Tensor pair = split.X.index_select(0, tensor(new[] { a, b })).to(device);
        Tensor images = flow.Interpolate(pair, steps);
        int levels = data.Levels ?? 256;
        Png.SaveGrid(images.cpu() / (levels - 1), outPath, perRow: steps, scale: CommonOptions.GridScale(args, images));
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(System.IO.Path.GetFullPath(outPath))}[/]");
        return 0;
    }
}

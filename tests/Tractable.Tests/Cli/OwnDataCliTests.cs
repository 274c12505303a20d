using System.Text;
using System.Text.Json;
using Tractable.Cli;
using Tractable.Tests.Support;
using static Tractable.Fuzzing.SampleFiles;

namespace Tractable.Tests.Cli;

/// <summary>
/// The user's own data from the command line: a folder of PNGs with classes, <c>.npy</c> files and an IDX folder train,
/// evaluate and sample under their own names, and bad ones stop with exit code 2 and one line naming the file.
/// </summary>
[Collection(Sequential.Name)]
public sealed class OwnDataCliTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static readonly string[] Tiny = ["--hidden", "8", "--hidden-layers", "1", "--layers", "1", "--steps", "4", "--batch-size", "8",
        "--eval-every", "2", "--checkpoint-every", "0", "--threads", "1"];

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    /// <summary>Runs the command line, returning its exit code and what it printed on one line.</summary>
    private static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(output) });
        Spectre.Console.AnsiConsole.Console.Profile.Width = 10_000;       // no wrapping inside the lines looked for
        try
        {
            return (TractableCli.Run(args), output.ToString().Replace("\n", " "));
        }
        finally
        {
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings());
        }
    }

    /// <summary>Trains, evaluates and samples <paramref name="data"/>; every output names it as given.</summary>
    private void TrainEvalSample(string data, string[] extra, bool images, string tensorBoard)
    {
        string run = folder.File("run-" + data[..data.IndexOf(':')]);
        (int code, string output) = Run(["train", "--model", "maf", "--data", data, "--out", run, "--tensorboard", tensorBoard, .. Tiny, .. extra]);
        Assert.True(code == 0, output);
        Assert.Contains(data, output);
        Assert.Equal(data, Json(Path.Combine(run, "run.json")).GetProperty("data").GetString());
        JsonElement metrics = Json(Path.Combine(run, "metrics.json"));
        Assert.Equal(data, metrics.GetProperty("dataset").GetString());
        Assert.Equal(images, metrics.GetProperty("bits_per_dim").ValueKind == JsonValueKind.Number);
        string events = Directory.GetFiles(tensorBoard, "events.out.tfevents.*").Single();
        Assert.Contains(data, Encoding.UTF8.GetString(File.ReadAllBytes(events)));

        (code, output) = Run("eval", "--run", run, "--split", "validation", "--out", folder.File("eval"), "--threads", "1");
        Assert.True(code == 0, output);
        Assert.Contains(data, output);
        Assert.Equal(data, Json(folder.File("eval/metrics.json")).GetProperty("dataset").GetString());

        (code, output) = Run("sample", "--run", run, "-n", "4", "--out", folder.File(images ? "s.png" : "s.csv"), "--threads", "1");
        Assert.True(code == 0, output);
        Assert.Contains($"samples of maf on {data}", output);
    }

    [Fact]
    public void AFolderOfPngsWithClassesTrainsUnderItsName()
    {
        string root = folder.File("pets");
        foreach (string pet in new[] { "dog", "cat" })
            for (int i = 0; i < 12; i++)
                File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(root, pet)).FullName, $"{i}.png"),
                    Image(6, 5, (x, y) => ((byte)(20 * i + x), (byte)(pet.Length * y), 90)));
        // Resized to 4 x 4; the classes are printed, numbered in name order.
        TrainEvalSample("images:" + root, ["--image-size", "4", "--conditional", "true"], images: true, folder.File("tb-images"));
        Assert.Equal("4x4", Json(folder.File("run-images/run.json")).GetProperty("image_size").GetString());
        (_, string output) = Run("eval", "--run", folder.File("run-images"), "--threads", "1");
        Assert.Contains("2 classes: 0 cat, 1 dog", output);
    }

    [Fact]
    public void NpyImagesAndTablesTrainUnderTheirNames()
    {
        File.WriteAllBytes(folder.File("faces.npy"), Npy(Enumerable.Range(0, 20 * 16).Select(i => (byte)(i * 7)).ToArray(), 20, 4, 4));
        TrainEvalSample("npy:" + folder.File("faces.npy"), [], images: true, folder.File("tb-npy-images"));
        File.WriteAllBytes(folder.File("table.npy"), Npy(Enumerable.Range(0, 30 * 3).Select(i => Math.Sin(i)).ToArray(), 30, 3));
        Directory.Delete(folder.File("run-npy"), recursive: true);
        TrainEvalSample("npy:" + folder.File("table.npy"), [], images: false, folder.File("tb-npy-table"));
    }

    [Fact]
    public void AnIdxFolderTrainsUnderItsNameNotMnist()
    {
        string root = Directory.CreateDirectory(folder.File("fashion")).FullName;
        foreach (var (prefix, count) in new[] { ("train", 36), ("t10k", 6) })
        {
            File.WriteAllBytes(Path.Combine(root, $"{prefix}-images-idx3-ubyte.gz"), Gzip(Idx(2051, [count, 4, 4], Enumerable.Range(0, count * 16).Select(i => (byte)(i * 3)).ToArray())));
            File.WriteAllBytes(Path.Combine(root, $"{prefix}-labels-idx1-ubyte.gz"), Gzip(Idx(2049, [count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray())));
        }
        TrainEvalSample("idx:" + root, [], images: true, folder.File("tb-idx"));
        Assert.DoesNotContain("mnist", File.ReadAllText(folder.File("run-idx/metrics.json")));
    }

    public static TheoryData<string, string[], string[]> BadData() => new()
    {
        { "missing image folder", ["--data", "images:/nonexistent/pets"], ["Image folder not found: /nonexistent/pets"] },
        // The library's setting is spelled as the flag.
        { "image folder of mixed sizes", ["--data", "images:MIXED"], ["1.png: 5x4 pixels, but", "0.png is 4x4; every image needs one size (or set --image-size to resize them all)"] },
        { "image size on other data", ["--data", "npy:TABLE", "--image-size", "8"], ["--image-size: 'npy:", "' is not an image folder: only the images of images:FOLDER are resized."] },
        { "bad image size", ["--data", "images:MIXED", "--image-size", "8y8"], ["--image-size: '8y8' is not an image size"] },
        { "truncated npy", ["--data", "npy:CUT"], ["cut.npy: truncated"] },
        { "missing idx folder", ["--data", "idx:/nonexistent/fashion"], ["IDX folder not found: /nonexistent/fashion"] },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void BadDataExitsTwoWithOneLineNamingIt(string what, string[] args, string[] expected)
    {
        string mixed = Directory.CreateDirectory(folder.File("mixed")).FullName;
        for (int i = 0; i < 10; i++) File.WriteAllBytes(Path.Combine(mixed, $"{i}.png"), Image(i == 1 ? 5 : 4, 4, (_, _) => (1, 2, 3)));
        File.WriteAllBytes(folder.File("table.npy"), Npy(Enumerable.Range(0, 30).Select(i => (double)i).ToArray(), 10, 3));
        File.WriteAllBytes(folder.File("cut.npy"), Npy(new double[30], 10, 3)[..150]);
        string[] resolved = args.Select(a => a.Replace("MIXED", mixed).Replace("TABLE", folder.File("table.npy")).Replace("CUT", folder.File("cut.npy"))).ToArray();
        (int code, string output) = Run(["train", "--model", "maf", .. resolved, "--out", folder.File("bad"), "--threads", "1"]);
        Assert.True(code == 2, $"{what}: exit {code}: {output}");
        foreach (string fragment in expected) Assert.Contains(fragment, output);
        Assert.False(Directory.Exists(folder.File("bad")), "a failed start must not leave a run folder");
    }
}

using System.Text.RegularExpressions;
using Tractable.Cli;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Commands;
using Tractable.Runs;

namespace Tractable.Tests.Cli;

/// <summary>
/// Every <c>tractable train</c> command in README.md and docs/ is still accepted as written: its options exist for its
/// model, their values parse and fit the model's configuration and the trainer (without training or reading data).
/// </summary>
public sealed class DocumentedCommandsTests
{
    public static TheoryData<string, string> TrainCommands()
    {
        string root = Support.Repository.Root;
        var data = new TheoryData<string, string>();
        foreach (string file in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Append(Path.Combine(root, "README.md")))
        {
            // Commands may continue over lines ending in a backslash; a comment ends them.
            string text = Regex.Replace(File.ReadAllText(file), @"\\\r?\n\s*", " ");
            foreach (Match m in Regex.Matches(text, @"tractable train ([^\n`|#]*)"))
                if (!m.Groups[1].Value.Contains("--resume") && !m.Groups[1].Value.Contains("--help"))
                    data.Add(Path.GetFileName(file), m.Groups[1].Value.Trim());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TrainCommands))]
    public void DocumentedTrainCommandsAreAccepted(string file, string command)
    {
        string[] args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var parsed = ParsedArguments.Parse(args, new TrainCommand().Options);
        (ModelKind kind, RunSpec draft) = TrainCommand.Draft(parsed);
        DataShape shape = ShapeOf(draft.Data, kind);
        kind.CreateConfig(shape, draft.ModelOptions);
        TrainCommand.ReadTrainerOptions(parsed, kind.Defaults(shape).Trainer).Validate();
        Assert.False(string.IsNullOrEmpty(file));
    }

    [Fact]
    public void TheDocsHoldTrainCommandsOfEveryFamily()
    {
        var models = TrainCommands().Select(row => Regex.Match((string)row[1], @"--model (\S+)").Groups[1].Value).ToHashSet();
        foreach (string expected in new[] { "realnvp", "nice", "planar", "glow", "realnvp-image", "maf", "gated-pixelcnn", "pixelcnn++", "wavenet" })
            Assert.Contains(expected, models);
    }

    /// <summary>The shape of the documented datasets, without reading them.</summary>
    private static DataShape ShapeOf(string data, ModelKind kind) => data switch
    {
        "mnist" => new DataShape([1, 28, 28], NumClasses: 10, Levels: 256),
        "mnist-binarized" => new DataShape([1, 28, 28], NumClasses: 10, Levels: 2),
        "cifar10" => new DataShape([3, 32, 32], NumClasses: 10, Levels: 256),
        _ when data.StartsWith("csv:") => new DataShape([13], NumClasses: 3, Standardize: true),
        _ => kind.TypicalData,
    };
}

using System.Text.Json;
using Tractable.IO;
using Tractable.Training;

namespace Tractable.Tests.Training;

public sealed class TrainerOptionsTests
{
    public static IEnumerable<object[]> BadOptions =>
    [
        [new TrainerOptions { Steps = 0 }, "Steps"],
        [new TrainerOptions { BatchSize = 0 }, "BatchSize"],
        [new TrainerOptions { LearningRate = -1 }, "LearningRate"],
        [new TrainerOptions { LearningRate = double.PositiveInfinity }, "LearningRate"],
        [new TrainerOptions { WarmupSteps = -1 }, "WarmupSteps"],
        [new TrainerOptions { Schedule = (LearningRateScheduleKind)7 }, "Schedule"],
        [new TrainerOptions { ClipGradNorm = -1 }, "ClipGradNorm"],
        [new TrainerOptions { EvalEvery = 0 }, "EvalEvery"],
        [new TrainerOptions { Patience = -1 }, "Patience"],
        [new TrainerOptions { CheckpointEvery = -1 }, "CheckpointEvery"],
        [new TrainerOptions { MaxMinutes = double.NaN }, "MaxMinutes"],
        [new TrainerOptions { LogEvery = 0 }, "LogEvery"],
        [new TrainerOptions { ProgressInterval = TimeSpan.Zero }, "ProgressInterval"],
        [new TrainerOptions { EvaluationBatchSize = 0 }, "EvaluationBatchSize"],
        [new TrainerOptions { Threads = 0 }, "Threads"],
    ];

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void ErrorsNameTheProperty(TrainerOptions options, string property)
    {
        var e = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.StartsWith(property + " ", e.Message);
        Assert.DoesNotContain("--", e.Message);
    }

    [Fact]
    public void TheDefaultsAreValid()
    {
        new TrainerOptions().Validate();
        new TrainerOptions { Threads = 1, EvaluationBatchSize = 64, Schedule = LearningRateScheduleKind.Constant }.Validate();
    }

    /// <summary>The trainer section of a run.json written before the schedule was an enum and the newer options existed.</summary>
    private const string EarlierRunJson = """
        {
          "steps": 300, "batch_size": 512, "learning_rate": 0.001, "warmup_steps": 100, "schedule": "constant",
          "min_learning_rate_factor": 0.05, "clip_grad_norm": 10, "weight_decay": 0, "average_decay": 0.99, "seed": 0,
          "eval_every": 100, "patience": 0, "checkpoint_every": 150, "max_consecutive_skips": 20, "max_restarts": 3,
          "max_minutes": 0, "log_every": 25
        }
        """;

    [Fact]
    public void EarlierRunFilesStillLoad()
    {
        var options = JsonSerializer.Deserialize<TrainerOptions>(EarlierRunJson, JsonFiles.Options)!;
        Assert.Equal(LearningRateScheduleKind.Constant, options.Schedule);
        Assert.Equal(new TrainerOptions().ProgressInterval, options.ProgressInterval);
        Assert.Null(options.Threads);
        Assert.Null(options.EvaluationBatchSize);
        var cosine = JsonSerializer.Deserialize<TrainerOptions>(EarlierRunJson.Replace("\"constant\"", "\"cosine\""), JsonFiles.Options)!;
        Assert.Equal(LearningRateScheduleKind.Cosine, cosine.Schedule);
    }

    [Fact]
    public void TheScheduleIsWrittenAsALowerCaseNameAndEverythingRoundTrips()
    {
        var options = new TrainerOptions
        {
            Schedule = LearningRateScheduleKind.Constant, Threads = 2, EvaluationBatchSize = 128, ProgressInterval = TimeSpan.FromSeconds(30),
        };
        string json = JsonSerializer.Serialize(options, JsonFiles.Options);
        Assert.Contains("\"schedule\": \"constant\"", json);
        Assert.Equal(options, JsonSerializer.Deserialize<TrainerOptions>(json, JsonFiles.Options));
    }
}

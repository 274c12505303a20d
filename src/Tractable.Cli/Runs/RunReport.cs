using Spectre.Console;
using Tractable.Evaluation;

namespace Tractable.Cli.Runs;

/// <summary>Prints the figures of a <see cref="RunMetrics"/> as a table.</summary>
public static class RunReport
{
    /// <summary>Prints <paramref name="m"/>.</summary>
    public static void Print(RunMetrics m)
    {
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, double? value, string format = "F4")
        {
            if (value is double v) table.AddRow(name, v.ToString(format, System.Globalization.CultureInfo.InvariantCulture));
        }
        table.AddRow("model", Markup.Escape(m.Model));
        table.AddRow("dataset", Markup.Escape($"{m.Dataset} ({m.Split})"));
        Row(m.Unit == LikelihoodUnit.Sample ? "NLL (nats/sample)" : "NLL (nats)", m.NllNats);
        Row("± std. error", m.NllStderr);
        Row("true NLL (nats)", m.TrueNllNats);
        Row("gap to true NLL", m.GapNats);
        Row("± std. error (paired)", m.GapStderr);
        Row(m.Unit == LikelihoodUnit.Sample ? "bits/sample" : "bits/dim", m.BitsPerDim);
        if (m.ReceptiveField is int field) table.AddRow("receptive field", $"{field} samples");
        if (m.IwSamples is int k) table.AddRow("NLL estimate", $"importance-weighted, k = {k}");
        Row("-ELBO (nats)", m.ElboNats);
        Row("± std. error", m.ElboStderr);
        Row("KL (nats)", m.KlNats);
        Row("reconstruction (nats)", m.ReconstructionNats);
        Row("reverse KL (nats)", m.ReverseKlNats);
        Row("log Z (grid)", m.LogZ);
        table.AddRow("examples", m.NumExamples.ToString());
        table.AddRow("parameters", m.Parameters.ToString("N0"));
        table.AddRow("train steps", m.TrainSteps.ToString());
        Row("train seconds", m.TrainSeconds, "F1");
        if (m.SkippedSteps > 0) table.AddRow("skipped steps", m.SkippedSteps.ToString());
        AnsiConsole.Write(table);
    }
}

using System.Globalization;

namespace Tractable.Training;

/// <summary>Appends training metrics to <c>metrics.csv</c>: one row per report, validation rows carry <c>val_loss</c>.</summary>
public sealed class MetricsLog(string path)
{
    private const string Header = "step,loss,lr,val_loss,train_seconds,skipped_steps";

    /// <summary>The CSV file.</summary>
    public string Path { get; } = path;

    /// <summary>Appends a row (and the header when the file is new).</summary>
    public void Append(int step, double? loss, double lr, double? validation, double seconds, long skipped)
    {
        bool fresh = !File.Exists(Path);
        using var writer = new StreamWriter(Path, append: true);
        if (fresh) writer.WriteLine(Header);
        string F(double? v) => v is double d ? d.ToString("G6", CultureInfo.InvariantCulture) : "";
        writer.WriteLine($"{step},{F(loss)},{F(lr)},{F(validation)},{F(seconds)},{skipped}");
    }
}

using System.Globalization;
using Tractable.IO;

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

    /// <summary>
    /// Cuts the log back to the rows of steps up to <paramref name="step"/> (a resumed run's checkpoint): the rows a
    /// killed run wrote after its last checkpoint would otherwise appear twice once the resumed run writes them again.
    /// A last row cut short by the kill is dropped too; a malformed row before it is a <see cref="CorruptFileException"/>.
    /// </summary>
    public void TruncateAfter(int step)
    {
        if (!File.Exists(Path)) return;
        string[] lines = File.ReadAllLines(Path);
        var kept = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (i == 0 && line == Header)
            {
                kept.Add(line);
                continue;
            }
            if (line.Length == 0) continue;
            string[] cells = line.Split(',');
            bool complete = cells.Length == 6 && int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out _);
            if (!complete)
            {
                if (i == lines.Length - 1) break;                        // the row a kill cut short
                throw new CorruptFileException(Path, $"line {i + 1} is not a row of {Header}.");
            }
            if (int.Parse(cells[0], CultureInfo.InvariantCulture) <= step) kept.Add(line);
        }
        if (kept.Count == lines.Length) return;
        AtomicFile.Write(Path, tmp => File.WriteAllLines(tmp, kept));
    }
}

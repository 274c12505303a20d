using Tractable.IO;
using static TorchSharp.torch;

namespace Tractable.Data.Audio;

/// <summary>
/// A folder of speech WAVs (searched recursively) as µ-law levels at one sample rate, split by file: a seeded
/// shuffle of the sorted file list holds out <see cref="TestFraction"/> of the files for testing and
/// <see cref="ValidationFraction"/> for validation; the rest is training audio. Every file is read as mono
/// (<see cref="WavFile"/>: channels averaged, PCM and float samples scaled to [−1, 1]) and converted to the dataset's
/// rate (<see cref="AudioResampler"/>). The training files are concatenated into one stream that training crops are
/// cut from (the prompts begin and end in near-silence, so a crop across a file boundary sees a short pause);
/// held-out files stay separate, so each is scored from its own start.
/// </summary>
public sealed class SpeechDataset
{
    /// <summary>Fraction of the files held out for the test split.</summary>
    public const double TestFraction = 0.10;

    /// <summary>Fraction of the files held out for validation.</summary>
    public const double ValidationFraction = 0.05;

    /// <summary>
    /// The shortest file accepted, in seconds (20 ms, one analysis frame): a shorter file holds no speech and is
    /// most likely damaged, and an empty one would be scored as nothing.
    /// </summary>
    public const double MinimumSeconds = 0.02;

    /// <summary>The lowest sample rate a dataset may be converted to.</summary>
    public const int MinimumSampleRate = 1000;

    private SpeechDataset(string name, int sampleRate, Tensor train, IReadOnlyList<Tensor> validation, IReadOnlyList<Tensor> test)
    {
        Name = name;
        SampleRate = sampleRate;
        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>The spec it was loaded from (<c>speech:PATH</c>).</summary>
    public string Name { get; }

    /// <summary>Samples per second of every file, after conversion.</summary>
    public int SampleRate { get; }

    /// <summary>All training audio, concatenated: int64 levels <c>[N]</c>.</summary>
    public Tensor Train { get; }

    /// <summary>Validation files, each int64 levels <c>[T_i]</c>.</summary>
    public IReadOnlyList<Tensor> Validation { get; }

    /// <summary>Test files, each int64 levels <c>[T_i]</c>.</summary>
    public IReadOnlyList<Tensor> Test { get; }

    /// <summary>The held-out files of the validation or test split (the train split gives the training stream as one file).</summary>
    public IReadOnlyList<Tensor> Get(SplitName split) => split switch
    {
        SplitName.Train => [Train],
        SplitName.Validation => Validation,
        SplitName.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Not a split."),
    };

    /// <summary>The files of the split called <paramref name="split"/> (read by <see cref="EnumNames"/>).</summary>
    public IReadOnlyList<Tensor> Get(string split) => Get(EnumNames.Parse<SplitName>(split, "split"));

    /// <summary>
    /// Loads every <c>.wav</c> under <paramref name="folder"/> (relative paths are also tried under
    /// <see cref="DataOptions.DataDirectory"/>), converted to <see cref="DataOptions.SampleRate"/> (null: the rate
    /// most files have; on a tie, the highest of them) and split with <see cref="DataOptions.Seed"/>. Every file must
    /// hold at least <see cref="MinimumSeconds"/> of audio; only files of at least <paramref name="receptiveField"/>
    /// samples (after conversion; the model's receptive field) are held out for validation and test, so that a scored
    /// file is not mostly samples that see less context than the model has; shorter ones train.
    /// </summary>
    public static SpeechDataset Load(string folder, DataOptions? options = null, int receptiveField = 0)
    {
        options ??= new DataOptions();
        if (options.SampleRate is int wanted && wanted is < MinimumSampleRate or > WavFile.MaxSampleRate)
            throw new InvalidSettingException(nameof(DataOptions.SampleRate), $"The sample rate must be {MinimumSampleRate} to {WavFile.MaxSampleRate} Hz, got {wanted}.");
        string resolved = Resolve(folder, options.DataDirectory);
        string[] files = Directory.EnumerateFiles(resolved, "*.wav", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(resolved, "*.WAV", SearchOption.AllDirectories))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        if (files.Length < 3)
            throw new DataFormatException($"speech:{folder}: {files.Length} WAV files found under '{resolved}'; at least 3 are needed to split into train, validation and test.");
        WavAudio[] audio = files.Select(WavFile.Read).ToArray();
        int rate = options.SampleRate ?? CommonRate(audio);
        if (rate < MinimumSampleRate)
            throw new DataFormatException($"speech:{folder}: most files are at {rate} Hz, below the {MinimumSampleRate} Hz a dataset may have; set DataOptions.SampleRate to convert them.");
        string Named(int i) => Path.GetRelativePath(resolved, files[i]);
        float[][] samples = audio.Select(a => AudioResampler.Resample(a.Samples, a.SampleRate, rate)).ToArray();
        int minimum = (int)Math.Ceiling(rate * MinimumSeconds);
        int tooShort = Array.FindIndex(samples, s => s.Length < minimum);
        if (tooShort >= 0)
            throw new DataFormatException(
                $"{Named(tooShort)}: {samples[tooShort].Length} samples{(samples[tooShort].Length == 0 ? " (an empty data chunk)" : "")}; every file must hold at least {minimum} ({MinimumSeconds * 1000:F0} ms at {rate} Hz).");

        int nTest = Math.Max(1, (int)Math.Round(files.Length * TestFraction));
        int nValidation = Math.Max(1, (int)Math.Round(files.Length * ValidationFraction));
        int[] order = SeededOrder(files.Length, seed: options.Seed);
        int[] heldOut = order.Where(i => samples[i].Length >= receptiveField).Take(nTest + nValidation).ToArray();
        if (heldOut.Length < nTest + nValidation)
            throw new DataFormatException(
                $"speech:{folder}: {order.Count(i => samples[i].Length >= receptiveField)} of {files.Length} files hold the model's receptive field of {receptiveField} samples ({1000.0 * receptiveField / rate:F0} ms at {rate} Hz); " +
                $"the validation and test splits need {nTest + nValidation} such files (shorter files only train).");
        Tensor[] levels = EncodeAll(samples);
        var test = heldOut.Take(nTest).Select(i => levels[i]).ToList();
        var validation = heldOut.Skip(nTest).Select(i => levels[i]).ToList();
        int[] training = order.Except(heldOut).ToArray();
        Tensor train = cat(training.Select(i => levels[i]).ToList(), 0);
        foreach (int i in training) levels[i].Dispose();
        return new SpeechDataset($"speech:{folder}", rate, train, validation, test);
    }

    /// <summary>
    /// The µ-law levels of every file (views of one tensor). The files are encoded joined, a million samples at a time:
    /// a pass per file costs ten times as much over hundreds of short prompts (12 s against 1 s of CPU for the 568 files
    /// of the shared speech folder).
    /// </summary>
    private static Tensor[] EncodeAll(float[][] files)
    {
        const int piece = 1 << 20;
        float[] joined = files.SelectMany(f => f).ToArray();
        var pieces = new List<Tensor>();
        for (int start = 0; start < joined.Length; start += piece)
        {
            using var scope = NewDisposeScope();
            pieces.Add(MuLaw.Encode(tensor(joined[start..Math.Min(joined.Length, start + piece)])).MoveToOuterDisposeScope());
        }
        Tensor all = cat(pieces, 0);
        foreach (Tensor p in pieces) p.Dispose();
        return all.split(files.Select(f => (long)f.Length).ToArray());
    }

    /// <summary>The rate most files have; on a tie, the highest of them (nothing of the band is lost by default).</summary>
    private static int CommonRate(IEnumerable<WavAudio> audio) =>
        audio.GroupBy(a => a.SampleRate).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First().Key;

    private static string Resolve(string folder, string? dataDirectory)
    {
        if (Directory.Exists(folder)) return folder;
        if (!Path.IsPathRooted(folder) && dataDirectory is not null && Directory.Exists(Path.Combine(dataDirectory, folder)))
            return Path.Combine(dataDirectory, folder);
        throw new DirectoryNotFoundException($"speech: folder '{Path.GetFullPath(folder)}' not found (expected a folder of WAV files).");
    }

    private static int[] SeededOrder(int n, long seed)
    {
        using var g = new Generator((ulong)seed);
        using Tensor perm = randperm(n, generator: g);
        return perm.data<long>().Select(i => (int)i).ToArray();
    }
}

using Tractable.IO;
using static TorchSharp.torch;

namespace Tractable.Data.Audio;

/// <summary>
/// A folder of speech WAVs (searched recursively, all at one sample rate) as µ-law levels, split by file: a seeded
/// shuffle of the sorted file list holds out <see cref="TestFraction"/> of the files for testing and
/// <see cref="ValidationFraction"/> for validation; the rest is training audio. The training files are
/// concatenated into one stream that training crops are cut from (the prompts begin and end in near-silence, so
/// a crop across a file boundary sees a short pause); held-out files stay separate, so each is scored from its
/// own start.
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

    /// <summary>Samples per second of every file.</summary>
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
    /// <paramref name="dataDirectory"/>), split with <paramref name="seed"/>.
    /// </summary>
    public static SpeechDataset Load(string folder, string? dataDirectory = null, long seed = 0)
    {
        string resolved = Resolve(folder, dataDirectory);
        string[] files = Directory.EnumerateFiles(resolved, "*.wav", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(resolved, "*.WAV", SearchOption.AllDirectories))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        if (files.Length < 3)
            throw new DataFormatException($"speech:{folder}: {files.Length} WAV files found under '{resolved}'; at least 3 are needed to split into train, validation and test.");
        var audio = files.Select(WavFile.Read).ToArray();
        int rate = audio[0].SampleRate;
        int other = Array.FindIndex(audio, a => a.SampleRate != rate);
        if (other >= 0)
            throw new DataFormatException(
                $"{Path.GetRelativePath(resolved, files[other])}: {audio[other].SampleRate} Hz, but {Path.GetRelativePath(resolved, files[0])} has {rate} Hz; the files of speech:{folder} have different sample rates.");
        int minimum = (int)Math.Ceiling(rate * MinimumSeconds);
        int tooShort = Array.FindIndex(audio, a => a.Samples.Length < minimum);
        if (tooShort >= 0)
            throw new DataFormatException(
                $"{Path.GetRelativePath(resolved, files[tooShort])}: {audio[tooShort].Samples.Length} samples; every file must hold at least {minimum} ({MinimumSeconds * 1000:F0} ms at {rate} Hz).");

        int[] order = SeededOrder(files.Length, seed);
        int nTest = Math.Max(1, (int)Math.Round(files.Length * TestFraction));
        int nValidation = Math.Max(1, (int)Math.Round(files.Length * ValidationFraction));
        Tensor Encode(int i) => MuLaw.EncodePcm(audio[i].Samples);
        var test = order.Take(nTest).Select(Encode).ToList();
        var validation = order.Skip(nTest).Take(nValidation).Select(Encode).ToList();
        using var scope = NewDisposeScope();
        Tensor train = cat(order.Skip(nTest + nValidation).Select(Encode).ToList(), 0).MoveToOuterDisposeScope();
        return new SpeechDataset($"speech:{folder}", rate, train, validation, test);
    }

    private static string Resolve(string folder, string? dataDirectory)
    {
        if (Directory.Exists(folder)) return folder;
        if (!Path.IsPathRooted(folder) && dataDirectory is not null && Directory.Exists(Path.Combine(dataDirectory, folder)))
            return Path.Combine(dataDirectory, folder);
        throw new DirectoryNotFoundException($"speech: folder '{Path.GetFullPath(folder)}' not found (expected a folder of PCM 16-bit mono WAV files).");
    }

    private static int[] SeededOrder(int n, long seed)
    {
        using var g = new Generator((ulong)seed);
        using Tensor perm = randperm(n, generator: g);
        return perm.data<long>().Select(i => (int)i).ToArray();
    }
}

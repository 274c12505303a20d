using CsCheck;
using Tractable.IO;

namespace Tractable.Fuzzing;

/// <summary>What a fuzzed input got: a valid load, or a clear error of the library.</summary>
public enum FuzzOutcome
{
    /// <summary>The mutated file was still valid and loaded.</summary>
    Loaded,

    /// <summary>The reader refused it with a <see cref="TractableInputException"/> naming the file.</summary>
    Refused,
}

/// <summary>A reader that answered a mutated input with something else than a load or a clear error: another exception, or no answer in time.</summary>
public sealed class FuzzFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs a <see cref="FuzzTarget"/> on mutated copies of its valid input in a folder of its own: each case must load or
/// be refused with one line of a <see cref="TractableInputException"/> that names the file, within a time bound.
/// </summary>
public sealed class ReaderFuzzer : IDisposable
{
    private readonly string folder;
    private readonly byte[] valid;

    /// <summary>Prepares <paramref name="target"/>'s valid input in a fresh temporary folder.</summary>
    public ReaderFuzzer(FuzzTarget target, TimeSpan bound)
    {
        Target = target;
        Bound = bound;
        folder = Directory.CreateTempSubdirectory("tractable-fuzz-").FullName;
        valid = target.Prepare(folder);
        if (Check([]) != FuzzOutcome.Loaded) throw new FuzzFailure($"{target.Name}: the valid input does not load.");
    }

    /// <summary>The reader under test.</summary>
    public FuzzTarget Target { get; }

    /// <summary>The longest a case may take.</summary>
    public TimeSpan Bound { get; }

    /// <summary>Writes the valid input changed by <paramref name="mutations"/> and reads it; a bad answer is a <see cref="FuzzFailure"/>.</summary>
    public FuzzOutcome Check(Mutation[] mutations)
    {
        string path = Path.Combine(folder, Target.File);
        byte[] input = Mutations.Apply(valid, mutations);
        File.WriteAllBytes(path, input);
        string Describe() => $"{Target.Name} with [{string.Join(", ", mutations.Select(m => m.ToString()))}] ({input.Length} bytes, kept at {Keep(input)})";
        var read = Task.Factory.StartNew(() => Target.Read(folder), TaskCreationOptions.LongRunning);
        try
        {
            if (!read.Wait(Bound)) throw new FuzzFailure($"no answer within {Bound.TotalSeconds:F0} s (a hang): {Describe()}");
            return FuzzOutcome.Loaded;
        }
        catch (AggregateException e) when (e.InnerException is TractableInputException refusal)
        {
            string name = Path.GetFileName(Target.File);
            if (!refusal.Message.Contains(name) || refusal.Message.Contains('\n'))
                throw new FuzzFailure($"the error does not name {name} in one line ('{refusal.Message}'): {Describe()}", refusal);
            return FuzzOutcome.Refused;
        }
        catch (AggregateException e)
        {
            Exception inner = e.InnerException ?? e;
            throw new FuzzFailure($"{inner.GetType().Name} instead of a clear error ('{inner.Message}'): {Describe()}", inner);
        }
    }

    /// <summary>Keeps a failing input beside the fuzzer's folder, for reproduction.</summary>
    private string Keep(byte[] input)
    {
        string path = Path.Combine(Path.GetTempPath(), $"tractable-fuzz-failure-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    /// <summary>
    /// Runs <paramref name="cases"/> cases drawn from a generator seeded with <paramref name="seed"/> (the same cases
    /// every time); returns how many loaded and how many were refused, and throws a <see cref="FuzzFailure"/> at the
    /// first bad answer.
    /// </summary>
    public (int Loaded, int Refused) Run(int cases, ulong seed)
    {
        var pcg = new PCG((uint)StableHash(Target.Name), seed);
        int loaded = 0, refused = 0;
        for (int i = 0; i < cases; i++)
        {
            Mutation[] mutations = Mutations.Case.Generate(pcg, null!, out _);
            if (Check(mutations) == FuzzOutcome.Loaded) loaded++;
            else refused++;
        }
        return (loaded, refused);
    }

    /// <summary>A hash of <paramref name="text"/> that is the same in every process (string.GetHashCode is not).</summary>
    private static int StableHash(string text) => text.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7FFFFFFF;

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A reader still running past its bound may hold a file; the folder is in the temporary directory.
        }
    }
}

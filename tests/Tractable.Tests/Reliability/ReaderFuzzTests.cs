using Tractable.Fuzzing;

namespace Tractable.Tests.Reliability;

/// <summary>
/// Every reader, fed mutated copies of a valid input (fixed seed, a modest number of cases), loads it or refuses it
/// with one clear error naming the file, within a time bound: never another exception, a crash or a hang. The long
/// run is <c>dotnet run -c Release --project bench/Tractable.Bench -- fuzz --cases N</c>.
/// </summary>
public sealed class ReaderFuzzTests
{
    private const int Cases = 40;
    private const ulong Seed = 20261201;

    public static TheoryData<string> Targets => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void MutatedInputsLoadOrAreRefusedClearly(string name)
    {
        using var fuzzer = new ReaderFuzzer(FuzzTargets.All.Single(t => t.Name == name), TimeSpan.FromSeconds(30));
        (int loaded, int refused) = fuzzer.Run(Cases, Seed);
        Assert.Equal(Cases, loaded + refused);
        Assert.True(refused > 0, $"{name}: no mutation was refused, so the fuzzer tested nothing");
    }
}

namespace Tractable.Tests.Support;

/// <summary>
/// A test that runs only when the environment variable <see cref="Variable"/> is <c>1</c>: for tools kept beside the
/// tests (fixture writers) that change files in the source tree and must never run as part of the suite.
/// </summary>
public sealed class ManualFactAttribute : FactAttribute
{
    /// <summary>The variable that enables manual tests.</summary>
    public const string Variable = "TRACTABLE_MANUAL";

    /// <summary>Skipped unless <c>TRACTABLE_MANUAL=1</c>.</summary>
    public ManualFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") Skip = $"Run by hand: {Variable}=1 dotnet test --filter <name>.";
    }
}

using System.Runtime.CompilerServices;
using Tractable.Runtime;

namespace Tractable.Tests.Support;

internal static class TestSetup
{
    [ModuleInitializer]
    internal static void LoadNatives() => NativeBackend.EnsureLoaded();
}

/// <summary>Tests that touch global state (the global RNG, dispose-scope statistics, the console) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Sequential
{
    public const string Name = "sequential";
}

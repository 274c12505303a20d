namespace Tractable.Tests.Support;

/// <summary>A theory that needs Linux (its signal numbers, its file locks); skipped, saying so, elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux";
    }
}

namespace Tractable.IO;

/// <summary>A setting was given a name that is not one of its accepted values.</summary>
public sealed class UnknownNameException : InvalidSettingException
{
    /// <summary>Records that <paramref name="value"/> is not one of <paramref name="accepted"/> for <paramref name="setting"/>.</summary>
    public UnknownNameException(string setting, string? value, IReadOnlyList<string> accepted)
        : base(setting, $"Unknown {setting} '{value}'; expected one of: {string.Join(", ", accepted)}.")
    {
        Value = value;
        Accepted = accepted;
    }

    /// <summary>The name that was given.</summary>
    public string? Value { get; }

    /// <summary>The names the setting accepts, as they are written.</summary>
    public IReadOnlyList<string> Accepted { get; }

}

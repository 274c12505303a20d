namespace Tractable.IO;

/// <summary>A setting was given a name that is not one of its accepted values.</summary>
public sealed class UnknownNameException : ArgumentException
{
    /// <summary>Records that <paramref name="value"/> is not one of <paramref name="accepted"/> for <paramref name="setting"/>.</summary>
    public UnknownNameException(string setting, string? value, IReadOnlyList<string> accepted)
        : base($"Unknown {setting} '{value}'; expected one of: {string.Join(", ", accepted)}.", setting)
    {
        Setting = setting;
        Value = value;
        Accepted = accepted;
    }

    /// <summary>The setting's name, as the library's configurations call it.</summary>
    public string Setting { get; }

    /// <summary>The name that was given.</summary>
    public string? Value { get; }

    /// <summary>The names the setting accepts, as they are written.</summary>
    public IReadOnlyList<string> Accepted { get; }

    /// <summary>The message alone, without the parameter suffix <see cref="ArgumentException"/> adds.</summary>
    public override string Message => $"Unknown {Setting} '{Value}'; expected one of: {string.Join(", ", Accepted)}.";
}

namespace Tractable;

/// <summary>
/// A setting given to the library that cannot be used (an option value out of range, an unknown name, an option a
/// model does not have). <see cref="ArgumentException.ParamName"/> names the setting, so that a front end can point
/// at its own spelling of it (a command-line flag, a config key).
/// </summary>
public class InvalidSettingException(string setting, string message) : ArgumentException(message, setting)
{
    /// <summary>The setting's name (a model option, a trainer option property, a config field).</summary>
    public string Setting => ParamName!;

    /// <summary>The message without the parameter suffix that <see cref="ArgumentException"/> appends.</summary>
    public override string Message => base.Message.Replace($" (Parameter '{ParamName}')", "");
}

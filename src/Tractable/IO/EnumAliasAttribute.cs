namespace Tractable.IO;

/// <summary>
/// Another name under which <see cref="EnumNames.Parse{T}"/> accepts an enum member: an older spelling kept so that
/// files written before the rename still load (e.g. <c>[EnumAlias("reverse")] Reversed</c>). It is never written.
/// </summary>
/// <param name="alias">The accepted spelling (compared like every name: case, '-' and '_' ignored).</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = true)]
public sealed class EnumAliasAttribute(string alias) : Attribute
{
    /// <summary>The accepted spelling.</summary>
    public string Alias { get; } = alias;
}

namespace Tractable.Fuzzing;

/// <summary>
/// A reader under fuzzing: <see cref="Prepare"/> writes a valid input into a folder (the file under test and anything
/// else the reader needs) and returns the valid bytes of <see cref="File"/>; <see cref="Read"/> reads the folder as
/// the library would.
/// </summary>
/// <param name="Name">What is read, e.g. <c>model.bin</c>.</param>
/// <param name="File">The path of the file under test, relative to the folder.</param>
/// <param name="Prepare">Writes the valid input into the folder and returns the valid bytes of <paramref name="File"/>.</param>
/// <param name="Read">Reads the folder; returns normally for a valid input.</param>
public sealed record FuzzTarget(string Name, string File, Func<string, byte[]> Prepare, Action<string> Read);

namespace Tractable.Tests.Support;

/// <summary>Runs a body with a thread-static switch of the library set one way, and restores it after.</summary>
internal static class Switched
{
    /// <summary><paramref name="body"/>'s value with the switch read by <paramref name="get"/> and written by <paramref name="set"/> at <paramref name="value"/>.</summary>
    public static T With<T>(Func<bool> get, Action<bool> set, bool value, Func<T> body)
    {
        bool before = get();
        set(value);
        try
        {
            return body();
        }
        finally
        {
            set(before);
        }
    }
}

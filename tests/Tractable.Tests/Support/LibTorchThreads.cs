using Tractable.Networks;
using static TorchSharp.torch;

namespace Tractable.Tests.Support;

/// <summary>Runs code with libtorch on a given number of threads, and puts the count back after.</summary>
internal static class LibTorchThreads
{
    /// <summary>The value of <paramref name="body"/> run with libtorch on <paramref name="threads"/> threads.</summary>
    public static T OnThreads<T>(int threads, Func<T> body)
    {
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            return body();
        }
        finally
        {
            set_num_threads(before);
        }
    }

    /// <summary>
    /// <see cref="OnThreads{T}"/> with the managed kernels allowed to split over those threads too
    /// (<see cref="ThinConvolution.MostThreads"/>), so that their split is checked as well.
    /// </summary>
    public static T OnKernelThreads<T>(int threads, Func<T> body)
    {
        int mostThreads = ThinConvolution.MostThreads;
        ThinConvolution.MostThreads = Math.Max(threads, 1);
        try
        {
            return OnThreads(threads, body);
        }
        finally
        {
            ThinConvolution.MostThreads = mostThreads;
        }
    }
}

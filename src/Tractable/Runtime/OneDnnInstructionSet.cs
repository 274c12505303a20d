using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Tractable.Runtime;

/// <summary>
/// Keeps libtorch's oneDNN on its AVX2 kernels where the processor has AVX-512, unless the user chose otherwise in
/// <c>ONEDNN_MAX_CPU_ISA</c>.
/// </summary>
/// <remarks>
/// oneDNN 3.7.1 (libtorch 2.10) computed some float32 convolutions wrongly with its AVX-512 kernels on AMD Zen 5:
/// 3×3 convolutions of maps in the default layout with 20, 24 or 40 input channels (errors of 0.5–0.8 against float64),
/// and a small PixelCNN++ whose likelihood came out non-finite; with the kernels capped at AVX2 both were right
/// (docs/benchmarks.md). oneDNN reads the variable once, at its first primitive, so it is set before libtorch is used.
/// </remarks>
internal static class OneDnnInstructionSet
{
    /// <summary>The variable oneDNN reads, and the cap.</summary>
    internal const string Variable = "ONEDNN_MAX_CPU_ISA", Cap = "AVX2";

    /// <summary>Sets the cap in the process's environment where the processor has AVX-512 and the variable is unset; returns whether it did.</summary>
    public static bool CapWhereAvx512IsWrong()
    {
        if (!OperatingSystem.IsLinux() || !Avx512F.IsSupported || Environment.GetEnvironmentVariable(Variable) is not null) return false;
        try
        {
            // .NET's Environment.SetEnvironmentVariable leaves the C library's environment, which oneDNN reads, as it was.
            return setenv(Variable, Cap, overwrite: 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}

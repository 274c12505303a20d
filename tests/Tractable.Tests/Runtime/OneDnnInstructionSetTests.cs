using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Tests.Runtime;

/// <summary>
/// Where the processor has AVX-512, oneDNN is held to its AVX2 kernels unless the user set its variable, and libtorch's
/// convolutions that its AVX-512 kernels got wrong come out as in float64.
/// </summary>
public sealed class OneDnnInstructionSetTests
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern nint getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [Fact]
    public void TheCapIsSetOnlyWhereTheProcessorHasAvx512AndTheUserLeftItUnset()
    {
        if (!OperatingSystem.IsLinux()) return;
        NativeBackend.EnsureLoaded();
        string? user = Environment.GetEnvironmentVariable(OneDnnInstructionSet.Variable);   // the environment the process started with
        string? seen = Marshal.PtrToStringUTF8(getenv(OneDnnInstructionSet.Variable));
        if (user is not null) Assert.Equal(user, seen);
        else Assert.Equal(Avx512F.IsSupported ? OneDnnInstructionSet.Cap : null, seen);
    }

    // Multiples of AVX2's block of 8 past AVX-512's block of 16. With 20 inputs oneDNN pads its blocks either way, and
    // its AVX2 kernels too gave NaN at times on AMD Zen 5 (docs/benchmarks.md).
    [Theory]
    [InlineData(24)]
    [InlineData(40)]
    public void ADefaultLayoutConvolutionWithChannelsPastABlockIsTheFloat64One(int inputs)
    {
        NativeBackend.EnsureLoaded();
        manual_seed(inputs);
        var conv = nn.Conv2d(inputs, 8, 3, padding: 1);
        Tensor x = randn(2, inputs, 7, 7);
        using var _ = no_grad();
        Tensor exact = nn.functional.conv2d(x.to(ScalarType.Float64), conv.weight!.to(ScalarType.Float64), conv.bias!.to(ScalarType.Float64), padding: [1, 1]);
        double error = (conv.forward(x).to(ScalarType.Float64) - exact).abs().max().item<double>();
        Assert.True(error < 1e-4, $"{inputs} inputs: {error}");
    }
}

using TorchSharp;
using TorchSharp.Modules;
using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// Brings a local conditioning sequence at a lower rate (one frame per <c>hop</c> samples, e.g. linguistic or
/// spectral features) to the audio rate (WaveNet, arXiv:1609.03499, §2.5, eq. 3: <c>y = f(h)</c>): by repeating each
/// frame <c>hop</c> times, or by a learned transposed convolution with kernel and stride <c>hop</c>. Frame <c>i</c>
/// covers samples <c>i·hop … (i+1)·hop − 1</c>.
/// </summary>
/// <remarks>Shapes: <c>[B, L, T_c] → [B, L, T]</c> for any <c>T ≤ T_c·hop</c>.</remarks>
public sealed class LocalUpsampler : nn.Module
{
    private readonly ConvTranspose1d? transposed;

    /// <summary>An upsampler of <paramref name="features"/> channels by <paramref name="hop"/>, in the way <paramref name="mode"/> says.</summary>
    public LocalUpsampler(int features, int hop, LocalUpsampling mode) : base(nameof(LocalUpsampler))
    {
        if (hop < 1) throw new ArgumentOutOfRangeException(nameof(hop), "The local conditioning hop must be at least 1 sample.");
        Hop = hop;
        transposed = mode switch
        {
            LocalUpsampling.Repeat => null,
            LocalUpsampling.Transposed => nn.ConvTranspose1d(features, features, hop, stride: hop),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a local upsampling."),
        };
        RegisterComponents();
    }

    /// <summary>Audio samples per conditioning frame.</summary>
    public int Hop { get; }

    /// <summary>Upsamples <paramref name="local"/> <c>[B, L, T_c]</c> and keeps the first <paramref name="length"/> samples.</summary>
    public Tensor Forward(Tensor local, long length)
    {
        if (local.dim() != 3) throw new ArgumentException($"Local conditioning must be [B, L, T_c], got [{string.Join(", ", local.shape)}].");
        if (local.size(2) * Hop < length)
            throw new ArgumentException($"Local conditioning has {local.size(2)} frames × hop {Hop} = {local.size(2) * Hop} samples, fewer than the {length} needed.");
        Tensor up = transposed is null ? local.repeat_interleave(Hop, dim: 2) : transposed.forward(local);
        return up.narrow(2, 0, length);
    }
}

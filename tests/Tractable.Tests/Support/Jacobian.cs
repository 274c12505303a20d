using static TorchSharp.torch;

namespace Tractable.Tests.Support;

/// <summary>Brute-force Jacobians by autograd, one backward pass per output dimension.</summary>
public static class Jacobian
{
    /// <summary>
    /// The per-example Jacobians <c>[B, D, D]</c> of a map that treats examples independently: backward of
    /// <c>y[:, i].sum()</c> gives row <c>i</c> of every example's Jacobian at once.
    /// </summary>
    public static Tensor Of(Func<Tensor, Tensor> f, Tensor x)
    {
        Tensor input = x.detach().clone().requires_grad_(true);
        Tensor y = f(input).flatten(1);
        long d = y.shape[1];
        var rows = new List<Tensor>();
        for (long i = 0; i < d; i++)
        {
            Tensor grad = autograd.grad([y.select(1, i).sum()], [input], retain_graph: true, allow_unused: true)[0];
            rows.Add(grad is null ? zeros_like(input).flatten(1) : grad.flatten(1));
        }
        return stack(rows, 1);
    }

    /// <summary><c>log|det J|</c> per example, by autograd.</summary>
    public static Tensor LogAbsDet(Func<Tensor, Tensor> f, Tensor x) => linalg.slogdet(Of(f, x)).Item2;

    /// <summary>Gives every parameter of <paramref name="module"/> random values, so no layer sits at its identity initialization.</summary>
    public static void Randomize(TorchSharp.torch.nn.Module module, double scale, long seed)
    {
        using var _ = no_grad();
        using var g = new Generator((ulong)seed);
        foreach (var p in module.parameters())
            p.copy_(randn(p.shape, dtype: p.dtype, generator: g) * scale);
    }
}

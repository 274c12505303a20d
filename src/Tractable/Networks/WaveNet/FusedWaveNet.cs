using System.Runtime.CompilerServices;
using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// Fast WaveNet generation (Paine et al. 2016, arXiv:1611.09482) as one fused step per sample over preallocated
/// buffers: the same queues and the same function as <see cref="IncrementalWaveNet"/>, but every layer's products are
/// SIMD matrix-vector products on managed arrays (<see cref="System.Numerics.Tensors.TensorPrimitives"/>) instead of tensor operations, so a
/// sample costs no native calls. At batch 1 a step is a few hundred small vector operations, where the tensor path
/// pays a native call (microseconds) for each of about a hundred operations.
/// </summary>
/// <remarks>
/// Matrices are kept transposed, <c>[in, out]</c> row-major, and applied as <c>y += Σ_i x_i · W[i, :]</c>, skipping
/// zero inputs (after a ReLU about half of them). The embedding of the one-hot input is a row lookup. The last layer's
/// residual output is never used, so it is not computed. Works for float and double models on the CPU.
/// </remarks>
/// <typeparam name="T">The model's element type.</typeparam>
public sealed class FusedWaveNet<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int batch, levels, residual, skipChannels;
    private readonly int inputKernel;
    private readonly T[] inputTaps;       // [k, Q, R]: tap j (oldest first), row = level
    private readonly T[] inputBias;       // [R]
    private readonly long[] inputHistory; // [B, k−1] levels fed before (−1: the zero vector), slot = time mod (k−1)
    private readonly Layer[] layers;
    private readonly T[] skipBias;        // [S], Σ over layers of the skip biases
    private readonly T[] head1, head1Bias, head2, head2Bias;
    private readonly T[] h, z, a, skip, hidden, logits;
    private long time;

    /// <summary>One dilated residual layer: filter taps, 1×1 output split into residual and skip, and its queue.</summary>
    private sealed class Layer
    {
        public required T[] Taps;         // [k·R, 2R]: the stacked taps x[t−(k−1)d], …, x[t] times W
        public required T[] Bias;         // [2R]
        public required T[] Residual;     // [R, R]
        public required T[] ResidualBias; // [R]
        public required T[] Skip;         // [R, S]
        public required T[] History;      // [B, (k−1)d, R], slot = time mod (k−1)d
        public required int Kernel;
        public required int Dilation;
        public required Tensor? Condition;   // [B, 2R] (global) or [T, B, 2R] (local), contiguous; null without conditioning
    }

    /// <summary>Prepares generation of <paramref name="length"/> samples for <paramref name="batch"/> sequences.</summary>
    /// <param name="network">The network (its parameters of type <typeparamref name="T"/>, on the CPU).</param>
    /// <param name="batch">Sequences generated at once.</param>
    /// <param name="length">Samples per sequence (the local conditioning must cover them).</param>
    /// <param name="global">Global conditioning <c>[B, G]</c>, or null.</param>
    /// <param name="local">Local conditioning <c>[B, L, T_c]</c>, or null.</param>
    public FusedWaveNet(WaveNetNetwork network, int batch, long length, Tensor? global = null, Tensor? local = null)
    {
        this.batch = batch;
        levels = network.Levels;
        residual = network.Input.OutChannels;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        inputKernel = network.Input.KernelSize;
        // TapMatrix [R, k·Q] → [k, Q, R]: tap j's weights for level q are one row.
        inputTaps = Array(network.Input.TapMatrix().t());
        inputBias = Array(network.Input.Bias!);
        inputHistory = new long[batch * Math.Max(1, inputKernel - 1)];
        System.Array.Fill(inputHistory, -1L);
        var (w1, b1, w2, b2) = network.HeadWeights();
        (head1, head1Bias, head2, head2Bias) = (Array(w1), Array(b1), Array(w2), Array(b2));
        skipChannels = head1Bias.Length;
        skipBias = new T[skipChannels];
        Tensor? upsampled = network.UpsampleLocal(local, length);
        var built = new List<Layer>();
        foreach (DilatedResidualBlock block in network.Blocks)
        {
            var (rw, rb, sw, sb) = block.StepWeights();
            CausalConv1d conv = block.Dilated;
            TensorPrimitives.Add(skipBias, Array(sb), skipBias);
            built.Add(new Layer
            {
                Taps = Array(conv.TapMatrix().t()), Bias = Array(conv.Bias!), Residual = Array(rw), ResidualBias = Array(rb),
                Skip = Array(sw), History = new T[batch * Math.Max(1, conv.History) * residual], Kernel = conv.KernelSize,
                Dilation = conv.Dilation,
                Condition = block.Conditioning(global, upsampled, timeAxis: false)?.contiguous().DetachFromDisposeScope(),
            });
            foreach (Tensor t in new[] { rw, rb, sw, sb }) t.Dispose();
        }
        layers = built.ToArray();
        foreach (Tensor t in new[] { w1, b1, w2, b2 }) t.Dispose();
        h = new T[residual];
        z = new T[2 * residual];
        a = new T[residual];
        skip = new T[skipChannels];
        hidden = new T[skipChannels];
        logits = new T[batch * levels];
    }

    private static T[] Array(Tensor t) => VectorProducts.ToArray<T>(t);

    /// <summary>Levels Q of the output.</summary>
    public int Levels => levels;

    /// <summary>
    /// Feeds the previous sample of each sequence (its level, or −1 at the first step: the network's zero input) and
    /// returns the logits of the next sample, <c>[B·Q]</c> row-major, valid until the next call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<T> Step(ReadOnlySpan<long> previous)
    {
        if (previous.Length != batch) throw new ArgumentException($"Expected {batch} previous levels, got {previous.Length}.");
        for (int b = 0; b < batch; b++) StepRow(b, previous[b], logits.AsSpan(b * levels, levels));
        time++;
        return logits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StepRow(int b, long previous, Span<T> output)
    {
        int r = residual;
        // The embedding: b + Σ_j W_j[level fed j steps ago] (one-hot inputs select rows).
        inputBias.CopyTo(h, 0);
        int inputSlots = inputKernel - 1;
        for (int j = 0; j < inputSlots; j++)
        {
            long level = inputHistory[b * inputSlots + (int)((time - (inputSlots - j)) % inputSlots + inputSlots) % inputSlots];
            if (level >= 0) TensorPrimitives.Add(h, Row(inputTaps, j * levels + (int)level, r), h);
        }
        if (previous >= 0) TensorPrimitives.Add(h, Row(inputTaps, inputSlots * levels + (int)previous, r), h);
        if (inputSlots > 0) inputHistory[b * inputSlots + (int)(time % inputSlots)] = previous;

        skipBias.CopyTo(skip, 0);
        for (int l = 0; l < layers.Length; l++)
        {
            Layer layer = layers[l];
            layer.Bias.CopyTo(z, 0);
            if (layer.Condition is { } condition)
            {
                Span<T> all = MemoryMarshal.Cast<byte, T>(condition.bytes);
                long offset = (condition.dim() == 3 ? time * batch + b : b) * 2L * r;
                TensorPrimitives.Add(z, all.Slice((int)offset, 2 * r), z);
            }
            // The dilated filter over the queue: taps j < k−1 read x[t − (k−1−j)d], the last tap reads h = x[t].
            int slots = Math.Max(1, (layer.Kernel - 1) * layer.Dilation);
            Span<T> history = layer.History.AsSpan(b * slots * r, slots * r);
            for (int j = 0; j < layer.Kernel - 1; j++)
            {
                long slot = ((time - (long)(layer.Kernel - 1 - j) * layer.Dilation) % slots + slots) % slots;
                VectorProducts.AddProduct(history.Slice((int)slot * r, r), layer.Taps.AsSpan(j * r * 2 * r, r * 2 * r), z);
            }
            VectorProducts.AddProduct(h, layer.Taps.AsSpan((layer.Kernel - 1) * r * 2 * r, r * 2 * r), z);
            if (layer.Kernel > 1) h.CopyTo(history.Slice((int)(time % slots) * r, r));

            // The gated activation tanh(z_f) ⊙ σ(z_g), then the skip and (except after the last layer) the residual.
            Span<T> filter = z.AsSpan(0, r), gate = z.AsSpan(r, r);
            TensorPrimitives.Tanh(filter, filter);
            TensorPrimitives.Sigmoid(gate, gate);
            TensorPrimitives.Multiply(filter, gate, a);
            VectorProducts.AddProduct(a, layer.Skip, skip);
            if (l < layers.Length - 1)
            {
                VectorProducts.AddProduct(a, layer.Residual, h);
                TensorPrimitives.Add(h, layer.ResidualBias, h);
            }
        }
        // The head: ReLU → 1×1 → ReLU → 1×1.
        TensorPrimitives.Max(skip, T.Zero, skip);
        head1Bias.CopyTo(hidden, 0);
        VectorProducts.AddProduct(skip, head1, hidden);
        TensorPrimitives.Max(hidden, T.Zero, hidden);
        head2Bias.CopyTo(output);
        VectorProducts.AddProduct(hidden, head2, output);
    }

    private static ReadOnlySpan<T> Row(T[] matrix, int row, int width) => matrix.AsSpan(row * width, width);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Layer layer in layers) layer.Condition?.Dispose();
    }
}

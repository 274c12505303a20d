using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tractable.Networks.Kernels;

/// <summary>
/// A stride-1 convolution over float32 maps in the channels-last layout, given with their zero border, whose kernel
/// reads in each of its rows a run of leading columns: a full k×k kernel (every row k columns wide), or the open part
/// of a PixelCNN masked kernel (the rows above the centre full, the centre row up to the centre; van den Oord et al.
/// 2016, arXiv:1601.06759, §3.4).
/// </summary>
/// <remarks>
/// Every output pixel is Σ<sub>r</sub> columns[r]·C<sub>in</sub> input values, each broadcast against a row of weights.
/// A kernel row's window is columns[r]·C<sub>in</sub> consecutive values of the bordered map, and its weights are
/// consecutive too: <c>w</c> is <c>[K, outputs]</c> with <c>k = column·inputs + channel</c>, kernel row after kernel row.
/// A block of outputs and a few pixels of one row are computed at a time, in registers:
/// <list type="bullet">
/// <item>with AVX-512, 64 outputs × 6 pixels: 24 accumulators, four weight vectors and a broadcast of the 32 registers.
/// libtorch's oneDNN runs PixelCNN's masked 3×3 layer (64 → 64 channels, its two open kernel rows, 28×28, batch 64) at
/// 20 ms on one core; this path at 11–12 ms (docs/benchmarks.md);</item>
/// <item>otherwise (AVX2), 32 outputs × 3 pixels: 12 accumulators of 16 registers; libtorch's convolution runs a 3×3
/// layer from 2 to 256 channels at 14×14 at about 20 GFLOP/s on one core.</item>
/// </list>
/// </remarks>
internal static unsafe class WindowConvolution
{
    private const int Lanes = 8;
    private const int BlockOutputs = 4 * Lanes;
    private const int WideLanes = 16;
    private const int WideBlockOutputs = 4 * WideLanes;
    private const int GroupOutputs = 2 * WideLanes;

    /// <summary>The most pixels of a row that one thread takes at a time: a multiple of every tile's width (12, 6 and 3).</summary>
    private const int SegmentPixels = 48;

    /// <summary>Whether <paramref name="outputs"/> run in AVX-512 blocks (of 64 outputs, or else of 32) on this machine.</summary>
    public static bool Wide(long outputs) => WideEnabled && Vector512.IsHardwareAccelerated && outputs % (WideBlockOutputs / 2) == 0;

    /// <summary>Whether the AVX-512 blocks are used where the processor has them; off only to compare.</summary>
    internal static bool WideEnabled { get; set; } = true;

    /// <summary>
    /// Writes <paramref name="bias"/> plus the convolution of <paramref name="bordered"/> <c>[N, borderedHeight,
    /// borderedWidth, inputs]</c> by <paramref name="w"/> <c>[K, outputs]</c> into <paramref name="y"/>
    /// <c>[N, height, width, outputs]</c>, splitting the rows over <paramref name="threads"/> threads. Output row
    /// <c>i</c> reads the bordered rows <c>i … i + columns.Length − 1</c>, kernel row <c>r</c> its leading
    /// <c>columns[r]</c> columns from column <c>j</c>, every <paramref name="dilation"/>-th column (the taps of a
    /// dilated kernel; WaveNet's causal convolutions are one-row maps); outputs must be a multiple of 8. Where
    /// <paramref name="depths"/> is given, the outputs of group <c>g</c> (outputs <c>32g … 32g + 31</c>) read only the
    /// first <c>depths[g]</c> rows of <paramref name="w"/>, all of whose later rows are zero in their columns: a masked
    /// layer whose mask closes a trailing run of inputs to each group (MADE's hidden layers, degrees sorted). Where
    /// <paramref name="firstColumns"/> is given, kernel row <c>r</c> reads its columns from column
    /// <c>j + firstColumns[r]</c> on: the flipped kernel of a masked layer's input gradient, whose open taps trail.
    /// </summary>
    public static void Write(float* bordered, int borderedHeight, int borderedWidth, float* w, float* bias, float* y,
        int images, int height, int width, int inputs, int outputs, int[] columns, int threads, int dilation = 1, int[]? depths = null,
        int[]? firstColumns = null)
    {
        int First(int r) => firstColumns?[r] ?? 0;
        ConvolutionGeometry.Check(outputs % Lanes == 0 && dilation >= 1 && columns.Length <= borderedHeight &&
                                  (firstColumns is null || firstColumns.Length == columns.Length) &&
                                  columns.Select((c, r) => (c, r)).All(t => t.c >= 0 && First(t.r) >= 0 &&
                                      (t.c == 0 || width + (First(t.r) + t.c - 1) * dilation <= borderedWidth)));
        nint ps = (nint)bordered, ws = (nint)w, bs = (nint)bias, ys = (nint)y, rowStride = (nint)borderedWidth * inputs;
        // The runs of a pixel's window: one per kernel row where its columns are adjacent, one per tap otherwise.
        var runs = new List<(nint Start, nint Span)>();
        for (int r = 0; r < columns.Length; r++)
        {
            if (dilation == 1 && columns[r] > 0) runs.Add((r * rowStride + (nint)First(r) * inputs, columns[r] * inputs));
            else if (dilation > 1)
                for (int c = 0; c < columns[r]; c++) runs.Add((r * rowStride + (nint)(First(r) + c) * dilation * inputs, inputs));
        }
        nint[] starts = runs.Select(run => run.Start).ToArray(), spans = runs.Select(run => run.Span).ToArray();
        var whole = new Window(starts, spans, inputs, outputs);
        int groupCount = (outputs + GroupOutputs - 1) / GroupOutputs;
        ConvolutionGeometry.Check(depths is null || depths.Length == groupCount);
        // Each group of 32 outputs reads its own window: the whole one, or its first depths[g] weight rows.
        Window[] groups = Enumerable.Range(0, groupCount).Select(g => depths is null ? whole : whole.Truncated(depths[g])).ToArray();
        // A block of 64 outputs reads as deep as the deeper of its two groups.
        Window[] pairs = Enumerable.Range(0, groupCount / 2)
            .Select(p => depths is null ? whole : whole.Truncated(Math.Max(depths[2 * p], depths[2 * p + 1]))).ToArray();
        bool wide = Wide(outputs);
        // Rows are split into segments so that a long row (a 1×1 kernel over many pixels in one row) is shared too.
        int segments = (width + SegmentPixels - 1) / SegmentPixels;
        ConvolutionGeometry.ForEachRange(images * height * segments, threads, (first, end) =>
        {
            for (int part = first; part < end; part++)
            {
                int r = part / segments, start = part % segments * SegmentPixels, n = r / height, row = r % height;
                float* source = (float*)ps + ((long)n * borderedHeight + row) * rowStride + (long)start * inputs;
                float* target = (float*)ys + ((long)r * width + start) * outputs;
                int pixels = Math.Min(SegmentPixels, width - start);
                if (wide) WideRow(groups, pairs, outputs, source, (float*)ws, (float*)bs, target, pixels);
                else Row(groups, outputs, source, (float*)ws, (float*)bs, target, pixels);
            }
        });
    }

    /// <summary>
    /// A run of one output row in AVX-512 blocks: of 64 outputs, six pixels at a time, then four, then one; where the
    /// outputs are not a multiple of 64, of 32 outputs, twelve pixels at a time, then four, then one. Block
    /// <c>o</c> reads the window of its group (<paramref name="groups"/>, 32 outputs) or pair (<paramref name="pairs"/>, 64).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WideRow(Window[] groups, Window[] pairs, int outputs, float* source, float* w, float* bias, float* target, int width)
    {
        if (outputs % WideBlockOutputs != 0)
        {
            for (int o = 0; o < outputs; o += GroupOutputs)
            {
                Window window = groups[o / GroupOutputs];
                int px = 0;
                for (; px + 12 <= width; px += 12) window.TwelvePixels32(source + px * window.Inputs, w + o, bias + o, target + px * outputs + o);
                for (; px + 4 <= width; px += 4) window.FourPixels32(source + px * window.Inputs, w + o, bias + o, target + px * outputs + o);
                for (; px < width; px++) window.OnePixel32(source + px * window.Inputs, w + o, bias + o, target + px * outputs + o);
            }
            return;
        }
        for (int o = 0; o < outputs; o += WideBlockOutputs)
        {
            Window window = pairs[o / WideBlockOutputs];
            int px = 0;
            for (; px + 6 <= width; px += 6) window.SixPixels64(source + px * window.Inputs, w + o, bias + o, target + px * outputs + o);
            for (; px + 4 <= width; px += 4) window.FourPixels64(source + px * window.Inputs, w + o, bias + o, target + px * outputs + o);
            for (; px < width; px++) window.OnePixel64(source + px * window.Inputs, w + o, bias + o, target + px * outputs + o);
        }
    }

    /// <summary>A run of one output row in blocks of 32 outputs (three pixels at a time, then one), then blocks of 8,
    /// each reading the window of its group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(Window[] groups, int outputs, float* source, float* w, float* bias, float* target, int width)
    {
        for (int o = 0; o + BlockOutputs <= outputs; o += BlockOutputs)
        {
            Window window = groups[o / GroupOutputs];
            int px = 0;
            for (; px + 3 <= width; px += 3) window.ThreePixels(source + px * window.Inputs, w + o, bias + o, target + px * outputs + o);
            for (; px < width; px++)
                for (int v = 0; v < BlockOutputs; v += Lanes)
                    window.OnePixel(source + px * window.Inputs, w + o + v, bias + o + v, target + px * outputs + o + v);
        }
        for (int o = outputs - outputs % BlockOutputs; o < outputs; o += Lanes)
            for (int px = 0; px < width; px++)
                groups[o / GroupOutputs].OnePixel(source + px * groups[o / GroupOutputs].Inputs, w + o, bias + o, target + px * outputs + o);
    }

    /// <summary>
    /// The shape of one call: the runs of consecutive input values that an output pixel reads, each given by its start
    /// (relative to the pixel's window) and its length, in the order of the weights' rows.
    /// </summary>
    private readonly struct Window(nint[] starts, nint[] spans, nint inputs, nint outputs)
    {
        /// <summary>Input channels: the distance between two pixels' windows.</summary>
        public nint Inputs => inputs;

        /// <summary>This window cut after its first <paramref name="depth"/> values (weight rows).</summary>
        public Window Truncated(int depth)
        {
            var cutStarts = new List<nint>();
            var cutSpans = new List<nint>();
            nint left = depth;
            for (int g = 0; g < starts.Length && left > 0; g++)
            {
                cutStarts.Add(starts[g]);
                cutSpans.Add(Math.Min(spans[g], left));
                left -= spans[g];
            }
            return new Window([.. cutStarts], [.. cutSpans], inputs, outputs);
        }

        /// <summary>64 outputs of six pixels whose windows start at <paramref name="x"/>; not inlined, so that the
        /// accumulators get registers of their own.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void SixPixels64(float* x, float* w, float* bias, float* y)
        {
            var a00 = Vector512.Load(bias); var a01 = Vector512.Load(bias + WideLanes);
            var a02 = Vector512.Load(bias + 2 * WideLanes); var a03 = Vector512.Load(bias + 3 * WideLanes);
            var a10 = a00; var a11 = a01; var a12 = a02; var a13 = a03;
            var a20 = a00; var a21 = a01; var a22 = a02; var a23 = a03;
            var a30 = a00; var a31 = a01; var a32 = a02; var a33 = a03;
            var a40 = a00; var a41 = a01; var a42 = a02; var a43 = a03;
            var a50 = a00; var a51 = a01; var a52 = a02; var a53 = a03;
            float* wt = w;
            for (int g = 0; g < starts.Length; g++)
            {
                float* s = x + starts[g];
                nint span = spans[g];
                for (nint k = 0; k < span; k++, wt += outputs)
                {
                    var c0 = Vector512.Load(wt); var c1 = Vector512.Load(wt + WideLanes);
                    var c2 = Vector512.Load(wt + 2 * WideLanes); var c3 = Vector512.Load(wt + 3 * WideLanes);
                    var b = Vector512.Create(s[k]);
                    a00 = Vector512.FusedMultiplyAdd(b, c0, a00); a01 = Vector512.FusedMultiplyAdd(b, c1, a01);
                    a02 = Vector512.FusedMultiplyAdd(b, c2, a02); a03 = Vector512.FusedMultiplyAdd(b, c3, a03);
                    b = Vector512.Create(s[inputs + k]);
                    a10 = Vector512.FusedMultiplyAdd(b, c0, a10); a11 = Vector512.FusedMultiplyAdd(b, c1, a11);
                    a12 = Vector512.FusedMultiplyAdd(b, c2, a12); a13 = Vector512.FusedMultiplyAdd(b, c3, a13);
                    b = Vector512.Create(s[2 * inputs + k]);
                    a20 = Vector512.FusedMultiplyAdd(b, c0, a20); a21 = Vector512.FusedMultiplyAdd(b, c1, a21);
                    a22 = Vector512.FusedMultiplyAdd(b, c2, a22); a23 = Vector512.FusedMultiplyAdd(b, c3, a23);
                    b = Vector512.Create(s[3 * inputs + k]);
                    a30 = Vector512.FusedMultiplyAdd(b, c0, a30); a31 = Vector512.FusedMultiplyAdd(b, c1, a31);
                    a32 = Vector512.FusedMultiplyAdd(b, c2, a32); a33 = Vector512.FusedMultiplyAdd(b, c3, a33);
                    b = Vector512.Create(s[4 * inputs + k]);
                    a40 = Vector512.FusedMultiplyAdd(b, c0, a40); a41 = Vector512.FusedMultiplyAdd(b, c1, a41);
                    a42 = Vector512.FusedMultiplyAdd(b, c2, a42); a43 = Vector512.FusedMultiplyAdd(b, c3, a43);
                    b = Vector512.Create(s[5 * inputs + k]);
                    a50 = Vector512.FusedMultiplyAdd(b, c0, a50); a51 = Vector512.FusedMultiplyAdd(b, c1, a51);
                    a52 = Vector512.FusedMultiplyAdd(b, c2, a52); a53 = Vector512.FusedMultiplyAdd(b, c3, a53);
                }
            }
            StoreWide(y, a00, a01, a02, a03); StoreWide(y + outputs, a10, a11, a12, a13);
            StoreWide(y + 2 * outputs, a20, a21, a22, a23); StoreWide(y + 3 * outputs, a30, a31, a32, a33);
            StoreWide(y + 4 * outputs, a40, a41, a42, a43); StoreWide(y + 5 * outputs, a50, a51, a52, a53);
        }

        /// <summary>64 outputs of four pixels: the tail of a row after its blocks of six.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void FourPixels64(float* x, float* w, float* bias, float* y)
        {
            var a00 = Vector512.Load(bias); var a01 = Vector512.Load(bias + WideLanes);
            var a02 = Vector512.Load(bias + 2 * WideLanes); var a03 = Vector512.Load(bias + 3 * WideLanes);
            var a10 = a00; var a11 = a01; var a12 = a02; var a13 = a03;
            var a20 = a00; var a21 = a01; var a22 = a02; var a23 = a03;
            var a30 = a00; var a31 = a01; var a32 = a02; var a33 = a03;
            float* wt = w;
            for (int g = 0; g < starts.Length; g++)
            {
                float* s = x + starts[g];
                nint span = spans[g];
                for (nint k = 0; k < span; k++, wt += outputs)
                {
                    var c0 = Vector512.Load(wt); var c1 = Vector512.Load(wt + WideLanes);
                    var c2 = Vector512.Load(wt + 2 * WideLanes); var c3 = Vector512.Load(wt + 3 * WideLanes);
                    var b = Vector512.Create(s[k]);
                    a00 = Vector512.FusedMultiplyAdd(b, c0, a00); a01 = Vector512.FusedMultiplyAdd(b, c1, a01);
                    a02 = Vector512.FusedMultiplyAdd(b, c2, a02); a03 = Vector512.FusedMultiplyAdd(b, c3, a03);
                    b = Vector512.Create(s[inputs + k]);
                    a10 = Vector512.FusedMultiplyAdd(b, c0, a10); a11 = Vector512.FusedMultiplyAdd(b, c1, a11);
                    a12 = Vector512.FusedMultiplyAdd(b, c2, a12); a13 = Vector512.FusedMultiplyAdd(b, c3, a13);
                    b = Vector512.Create(s[2 * inputs + k]);
                    a20 = Vector512.FusedMultiplyAdd(b, c0, a20); a21 = Vector512.FusedMultiplyAdd(b, c1, a21);
                    a22 = Vector512.FusedMultiplyAdd(b, c2, a22); a23 = Vector512.FusedMultiplyAdd(b, c3, a23);
                    b = Vector512.Create(s[3 * inputs + k]);
                    a30 = Vector512.FusedMultiplyAdd(b, c0, a30); a31 = Vector512.FusedMultiplyAdd(b, c1, a31);
                    a32 = Vector512.FusedMultiplyAdd(b, c2, a32); a33 = Vector512.FusedMultiplyAdd(b, c3, a33);
                }
            }
            StoreWide(y, a00, a01, a02, a03); StoreWide(y + outputs, a10, a11, a12, a13);
            StoreWide(y + 2 * outputs, a20, a21, a22, a23); StoreWide(y + 3 * outputs, a30, a31, a32, a33);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void OnePixel64(float* x, float* w, float* bias, float* y)
        {
            var a0 = Vector512.Load(bias); var a1 = Vector512.Load(bias + WideLanes);
            var a2 = Vector512.Load(bias + 2 * WideLanes); var a3 = Vector512.Load(bias + 3 * WideLanes);
            float* wt = w;
            for (int g = 0; g < starts.Length; g++)
            {
                float* s = x + starts[g];
                nint span = spans[g];
                for (nint k = 0; k < span; k++, wt += outputs)
                {
                    var b = Vector512.Create(s[k]);
                    a0 = Vector512.FusedMultiplyAdd(b, Vector512.Load(wt), a0);
                    a1 = Vector512.FusedMultiplyAdd(b, Vector512.Load(wt + WideLanes), a1);
                    a2 = Vector512.FusedMultiplyAdd(b, Vector512.Load(wt + 2 * WideLanes), a2);
                    a3 = Vector512.FusedMultiplyAdd(b, Vector512.Load(wt + 3 * WideLanes), a3);
                }
            }
            StoreWide(y, a0, a1, a2, a3);
        }

        /// <summary>32 outputs of twelve pixels: 24 accumulators, as in the blocks of 64.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void TwelvePixels32(float* x, float* w, float* bias, float* y)
        {
            var lo00 = Vector512.Load(bias); var hi00 = Vector512.Load(bias + WideLanes);
            var lo01 = lo00; var hi01 = hi00;
            var lo02 = lo00; var hi02 = hi00;
            var lo03 = lo00; var hi03 = hi00;
            var lo04 = lo00; var hi04 = hi00;
            var lo05 = lo00; var hi05 = hi00;
            var lo06 = lo00; var hi06 = hi00;
            var lo07 = lo00; var hi07 = hi00;
            var lo08 = lo00; var hi08 = hi00;
            var lo09 = lo00; var hi09 = hi00;
            var lo10 = lo00; var hi10 = hi00;
            var lo11 = lo00; var hi11 = hi00;
            float* wt = w;
            for (int g = 0; g < starts.Length; g++)
            {
                float* s = x + starts[g];
                nint span = spans[g];
                for (nint k = 0; k < span; k++, wt += outputs)
                {
                    var c0 = Vector512.Load(wt); var c1 = Vector512.Load(wt + WideLanes);
                    var b = Vector512.Create(s[k]);
                    lo00 = Vector512.FusedMultiplyAdd(b, c0, lo00); hi00 = Vector512.FusedMultiplyAdd(b, c1, hi00);
                    b = Vector512.Create(s[inputs + k]);
                    lo01 = Vector512.FusedMultiplyAdd(b, c0, lo01); hi01 = Vector512.FusedMultiplyAdd(b, c1, hi01);
                    b = Vector512.Create(s[2 * inputs + k]);
                    lo02 = Vector512.FusedMultiplyAdd(b, c0, lo02); hi02 = Vector512.FusedMultiplyAdd(b, c1, hi02);
                    b = Vector512.Create(s[3 * inputs + k]);
                    lo03 = Vector512.FusedMultiplyAdd(b, c0, lo03); hi03 = Vector512.FusedMultiplyAdd(b, c1, hi03);
                    b = Vector512.Create(s[4 * inputs + k]);
                    lo04 = Vector512.FusedMultiplyAdd(b, c0, lo04); hi04 = Vector512.FusedMultiplyAdd(b, c1, hi04);
                    b = Vector512.Create(s[5 * inputs + k]);
                    lo05 = Vector512.FusedMultiplyAdd(b, c0, lo05); hi05 = Vector512.FusedMultiplyAdd(b, c1, hi05);
                    b = Vector512.Create(s[6 * inputs + k]);
                    lo06 = Vector512.FusedMultiplyAdd(b, c0, lo06); hi06 = Vector512.FusedMultiplyAdd(b, c1, hi06);
                    b = Vector512.Create(s[7 * inputs + k]);
                    lo07 = Vector512.FusedMultiplyAdd(b, c0, lo07); hi07 = Vector512.FusedMultiplyAdd(b, c1, hi07);
                    b = Vector512.Create(s[8 * inputs + k]);
                    lo08 = Vector512.FusedMultiplyAdd(b, c0, lo08); hi08 = Vector512.FusedMultiplyAdd(b, c1, hi08);
                    b = Vector512.Create(s[9 * inputs + k]);
                    lo09 = Vector512.FusedMultiplyAdd(b, c0, lo09); hi09 = Vector512.FusedMultiplyAdd(b, c1, hi09);
                    b = Vector512.Create(s[10 * inputs + k]);
                    lo10 = Vector512.FusedMultiplyAdd(b, c0, lo10); hi10 = Vector512.FusedMultiplyAdd(b, c1, hi10);
                    b = Vector512.Create(s[11 * inputs + k]);
                    lo11 = Vector512.FusedMultiplyAdd(b, c0, lo11); hi11 = Vector512.FusedMultiplyAdd(b, c1, hi11);
                }
            }
            lo00.Store(y); hi00.Store(y + WideLanes);
            lo01.Store(y + outputs); hi01.Store(y + outputs + WideLanes);
            lo02.Store(y + 2 * outputs); hi02.Store(y + 2 * outputs + WideLanes);
            lo03.Store(y + 3 * outputs); hi03.Store(y + 3 * outputs + WideLanes);
            lo04.Store(y + 4 * outputs); hi04.Store(y + 4 * outputs + WideLanes);
            lo05.Store(y + 5 * outputs); hi05.Store(y + 5 * outputs + WideLanes);
            lo06.Store(y + 6 * outputs); hi06.Store(y + 6 * outputs + WideLanes);
            lo07.Store(y + 7 * outputs); hi07.Store(y + 7 * outputs + WideLanes);
            lo08.Store(y + 8 * outputs); hi08.Store(y + 8 * outputs + WideLanes);
            lo09.Store(y + 9 * outputs); hi09.Store(y + 9 * outputs + WideLanes);
            lo10.Store(y + 10 * outputs); hi10.Store(y + 10 * outputs + WideLanes);
            lo11.Store(y + 11 * outputs); hi11.Store(y + 11 * outputs + WideLanes);
        }

        /// <summary>32 outputs of four pixels: the tail of a row after its blocks of twelve.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void FourPixels32(float* x, float* w, float* bias, float* y)
        {
            var lo00 = Vector512.Load(bias); var hi00 = Vector512.Load(bias + WideLanes);
            var lo01 = lo00; var hi01 = hi00;
            var lo02 = lo00; var hi02 = hi00;
            var lo03 = lo00; var hi03 = hi00;
            float* wt = w;
            for (int g = 0; g < starts.Length; g++)
            {
                float* s = x + starts[g];
                nint span = spans[g];
                for (nint k = 0; k < span; k++, wt += outputs)
                {
                    var c0 = Vector512.Load(wt); var c1 = Vector512.Load(wt + WideLanes);
                    var b = Vector512.Create(s[k]);
                    lo00 = Vector512.FusedMultiplyAdd(b, c0, lo00); hi00 = Vector512.FusedMultiplyAdd(b, c1, hi00);
                    b = Vector512.Create(s[inputs + k]);
                    lo01 = Vector512.FusedMultiplyAdd(b, c0, lo01); hi01 = Vector512.FusedMultiplyAdd(b, c1, hi01);
                    b = Vector512.Create(s[2 * inputs + k]);
                    lo02 = Vector512.FusedMultiplyAdd(b, c0, lo02); hi02 = Vector512.FusedMultiplyAdd(b, c1, hi02);
                    b = Vector512.Create(s[3 * inputs + k]);
                    lo03 = Vector512.FusedMultiplyAdd(b, c0, lo03); hi03 = Vector512.FusedMultiplyAdd(b, c1, hi03);
                }
            }
            lo00.Store(y); hi00.Store(y + WideLanes);
            lo01.Store(y + outputs); hi01.Store(y + outputs + WideLanes);
            lo02.Store(y + 2 * outputs); hi02.Store(y + 2 * outputs + WideLanes);
            lo03.Store(y + 3 * outputs); hi03.Store(y + 3 * outputs + WideLanes);
        }

        /// <summary>32 outputs of one pixel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void OnePixel32(float* x, float* w, float* bias, float* y)
        {
            var lo00 = Vector512.Load(bias); var hi00 = Vector512.Load(bias + WideLanes);
            float* wt = w;
            for (int g = 0; g < starts.Length; g++)
            {
                float* s = x + starts[g];
                nint span = spans[g];
                for (nint k = 0; k < span; k++, wt += outputs)
                {
                    var c0 = Vector512.Load(wt); var c1 = Vector512.Load(wt + WideLanes);
                    var b = Vector512.Create(s[k]);
                    lo00 = Vector512.FusedMultiplyAdd(b, c0, lo00); hi00 = Vector512.FusedMultiplyAdd(b, c1, hi00);
                }
            }
            lo00.Store(y); hi00.Store(y + WideLanes);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreWide(float* y, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
        {
            a0.Store(y); a1.Store(y + WideLanes); a2.Store(y + 2 * WideLanes); a3.Store(y + 3 * WideLanes);
        }

        /// <summary>32 outputs of three pixels whose windows start at <paramref name="x"/>; not inlined, so that the
        /// accumulators get registers of their own.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void ThreePixels(float* x, float* w, float* bias, float* y)
        {
            var a00 = Vector256.Load(bias); var a01 = Vector256.Load(bias + Lanes);
            var a02 = Vector256.Load(bias + 2 * Lanes); var a03 = Vector256.Load(bias + 3 * Lanes);
            var a10 = a00; var a11 = a01; var a12 = a02; var a13 = a03;
            var a20 = a00; var a21 = a01; var a22 = a02; var a23 = a03;
            float* wt = w;
            for (int g = 0; g < starts.Length; g++)
            {
                float* s = x + starts[g];
                nint span = spans[g];
                for (nint k = 0; k < span; k++, wt += outputs)
                {
                    var s0 = Vector256.Create(s[k]); var s1 = Vector256.Create(s[inputs + k]); var s2 = Vector256.Create(s[2 * inputs + k]);
                    var c = Vector256.Load(wt);
                    a00 = Vector256.FusedMultiplyAdd(s0, c, a00); a10 = Vector256.FusedMultiplyAdd(s1, c, a10); a20 = Vector256.FusedMultiplyAdd(s2, c, a20);
                    c = Vector256.Load(wt + Lanes);
                    a01 = Vector256.FusedMultiplyAdd(s0, c, a01); a11 = Vector256.FusedMultiplyAdd(s1, c, a11); a21 = Vector256.FusedMultiplyAdd(s2, c, a21);
                    c = Vector256.Load(wt + 2 * Lanes);
                    a02 = Vector256.FusedMultiplyAdd(s0, c, a02); a12 = Vector256.FusedMultiplyAdd(s1, c, a12); a22 = Vector256.FusedMultiplyAdd(s2, c, a22);
                    c = Vector256.Load(wt + 3 * Lanes);
                    a03 = Vector256.FusedMultiplyAdd(s0, c, a03); a13 = Vector256.FusedMultiplyAdd(s1, c, a13); a23 = Vector256.FusedMultiplyAdd(s2, c, a23);
                }
            }
            a00.Store(y); a01.Store(y + Lanes); a02.Store(y + 2 * Lanes); a03.Store(y + 3 * Lanes);
            y += outputs;
            a10.Store(y); a11.Store(y + Lanes); a12.Store(y + 2 * Lanes); a13.Store(y + 3 * Lanes);
            y += outputs;
            a20.Store(y); a21.Store(y + Lanes); a22.Store(y + 2 * Lanes); a23.Store(y + 3 * Lanes);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void OnePixel(float* x, float* w, float* bias, float* y)
        {
            var a = Vector256.Load(bias);
            float* wt = w;
            for (int g = 0; g < starts.Length; g++)
            {
                float* s = x + starts[g];
                nint span = spans[g];
                for (nint k = 0; k < span; k++, wt += outputs)
                    a = Vector256.FusedMultiplyAdd(Vector256.Create(s[k]), Vector256.Load(wt), a);
            }
            a.Store(y);
        }
    }
}

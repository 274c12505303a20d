using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, arXiv:1412.6980, Algorithm 1) over one flat buffer: every parameter is re-pointed to a
/// slice of one contiguous tensor, and its gradient to a slice of a second one, so the update is one pass over all
/// parameters at once (<see cref="FusedAdamUpdate"/> on the CPU, a handful of element-wise operations elsewhere) and
/// zeroing the gradients is a single operation, where TorchSharp's Adam issues several operations per parameter. The
/// weight decay is an L2 term (<see cref="Adam"/>) or decoupled (<see cref="AdamW"/>, Loshchilov &amp; Hutter 2019,
/// arXiv:1711.05101).
/// </summary>
/// <remarks>
/// <para>Create the optimizer after the model is on its device and in its dtype: moving the model afterwards gives its
/// parameters new storage and cuts them off from the buffer. Saving and loading the model's weights (in place) is fine.
/// The step count, moments and options are saved per parameter in the layout of TorchSharp's optimizer of the same
/// name (<c>save_state_dict</c>), so optimizer files written before this class existed load into it.</para>
/// <para>One difference from <c>torch.optim.Adam</c>: a parameter that gets no gradient in a step is updated with a
/// zero gradient (its moments decay and it keeps moving by its first moment) instead of being skipped, since every
/// parameter always has a gradient slice.</para>
/// </remarks>
public abstract class FlatAdam : OptimizerHelper
{
    private readonly Tensor values;          // [N] every parameter, back to back
    private readonly Tensor gradients;       // [N] their gradients
    private readonly Tensor firstMoment;     // [N] m
    private readonly Tensor secondMoment;    // [N] v
    private Tensor? denominator;             // [N] scratch for √v̂ + ε, where the update runs as tensor operations
    private readonly bool decoupled;
    private long stepCount;

    /// <summary>Takes over <paramref name="parameters"/> (those that require gradients; all of one dtype and device).</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="options">Learning rate, betas, ε and weight decay (TorchSharp's option record of the same name).</param>
    /// <param name="decoupled">Whether the weight decay is decoupled (AdamW) rather than an L2 term in the gradient (Adam).</param>
    private protected FlatAdam(IEnumerable<Parameter> parameters, OptimizerOptions options, bool decoupled)
    {
        Parameter[] owned = parameters.Where(p => p.requires_grad).DistinctBy(p => p.Handle).ToArray();
        if (owned.Length == 0) throw new ArgumentException("The optimizer was given no trainable parameters.", nameof(parameters));
        if (owned.Any(p => p.dtype != owned[0].dtype || p.device_type != owned[0].device_type || p.device_index != owned[0].device_index))
            throw new ArgumentException("All parameters of one optimizer must share a dtype and a device.", nameof(parameters));
        this.decoupled = decoupled;
        long total = owned.Sum(p => p.numel());
        var like = (dtype: owned[0].dtype, device: owned[0].device);
        using (no_grad())
        {
            values = empty(total, like.dtype, like.device).DetachFromDisposeScope();
            gradients = zeros(total, like.dtype, like.device).DetachFromDisposeScope();
            firstMoment = zeros(total, like.dtype, like.device).DetachFromDisposeScope();
            secondMoment = zeros(total, like.dtype, like.device).DetachFromDisposeScope();
        }
        _defaults = options;
        _parameter_groups = new List<ParamGroup> { new() { Parameters = owned, Options = options } };
        long offset = 0;
        foreach (Parameter p in owned)
        {
            long n = p.numel();
            using (no_grad())
            {
                Tensor slot = Slice(values, offset, p);
                slot.copy_(p);
                p.set_(slot);
                p.grad = Slice(gradients, offset, p);
            }
            _state[p.Handle] = new SliceState(this, p, Slice(firstMoment, offset, p), Slice(secondMoment, offset, p));
            offset += n;
        }
    }

    private static Tensor Slice(Tensor flat, long offset, Tensor like) =>
        flat.narrow(0, offset, like.numel()).view(TensorSizes.Of(like)).DetachFromDisposeScope();

    /// <summary>Steps taken.</summary>
    public long Steps => stepCount;

    /// <summary>All gradients as one vector <c>[N]</c> (a view: writes reach the parameters' gradients).</summary>
    public Tensor Gradients => gradients;

    /// <summary>Zeroes every gradient in one operation; backward then accumulates into the same buffer.</summary>
    public override void zero_grad() => gradients.zero_();

    /// <summary>
    /// Scales the gradients so that their global 2-norm is at most <paramref name="maxNorm"/>, as
    /// <c>nn.utils.clip_grad_norm_</c> does (<c>g · maxNorm / (‖g‖ + 10⁻⁶)</c> when <c>‖g‖ &gt; maxNorm</c>), with one
    /// norm over the whole buffer. Returns the norm before clipping (non-finite when a gradient is).
    /// </summary>
    public double ClipGradientNorm(double maxNorm)
    {
        using var _ = no_grad();
        double norm = gradients.norm().item<double>();
        if (norm > maxNorm) gradients.mul_(maxNorm / (norm + 1e-6));
        return norm;
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
            using (enable_grad())
                loss = closure();
        var (lr, beta1, beta2, eps, weightDecay) = Hyperparameters(_parameter_groups[0].Options);
        stepCount++;
        double correction1 = 1 - Math.Pow(beta1, stepCount), correction2 = 1 - Math.Pow(beta2, stepCount);
        double shrink = decoupled && weightDecay != 0 ? 1 - lr * weightDecay : 1, l2 = decoupled ? 0 : weightDecay;
        var scalars = new AdamStepScalars(beta1, beta2, -lr / correction1, Math.Sqrt(correction2), eps, l2, shrink);
        if (FusedAdamUpdate.Supports(values))
            FusedAdamUpdate.Apply(values, gradients, firstMoment, secondMoment, scalars, get_num_threads());
        else
            UpdateByTensorOperations(scalars);
        return loss!;
    }

    /// <summary>The step as tensor operations, on devices and dtypes that <see cref="FusedAdamUpdate"/> does not serve.</summary>
    private void UpdateByTensorOperations(in AdamStepScalars s)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        denominator ??= empty_like(values).DetachFromDisposeScope();
        Tensor g = gradients;
        if (s.Shrink != 1) values.mul_(s.Shrink);
        if (s.L2 != 0) g = gradients.add(values, alpha: s.L2);
        // m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)   (Algorithm 1)
        firstMoment.mul_(s.Beta1).add_(g, alpha: 1 - s.Beta1);
        secondMoment.mul_(s.Beta2).addcmul_(g, g, value: 1 - s.Beta2);
        denominator.copy_(secondMoment).sqrt_().div_(s.RootCorrection2).add_(s.Eps);
        values.addcdiv_(firstMoment, denominator, value: s.StepSize);
    }

    /// <summary>Learning rate, betas, ε and weight decay from the option record.</summary>
    private protected abstract (double Lr, double Beta1, double Beta2, double Eps, double WeightDecay) Hyperparameters(OptimizerOptions options);

    /// <summary>Checks the hyperparameters as TorchSharp's Adam does.</summary>
    private protected static void Check(double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        if (!(lr >= 0)) throw new ArgumentException($"Invalid learning rate: {lr}.");
        if (!(eps >= 0)) throw new ArgumentException($"Invalid epsilon: {eps}.");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"Invalid beta1: {beta1} (must be in [0, 1)).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"Invalid beta2: {beta2} (must be in [0, 1)).");
        if (!(weightDecay >= 0)) throw new ArgumentException($"Invalid weight decay: {weightDecay}.");
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        foreach (var (_, state) in _state) ((SliceState)state).Dispose();
        // The parameters keep their slices of the value buffer (they share its storage); the rest goes now.
        foreach (Parameter p in _parameter_groups.SelectMany(g => g.Parameters)) p.grad = null;
        gradients.Dispose();
        firstMoment.Dispose();
        secondMoment.Dispose();
        denominator?.Dispose();
        values.Dispose();
    }

    /// <summary>
    /// One parameter's view of the moments. Saved as TorchSharp's Adam and AdamW save a parameter's state (step, first
    /// and second moment, no AMSGrad maximum), so that their files and these are interchangeable.
    /// </summary>
    private sealed class SliceState : OptimizerState, IDisposable
    {
        private readonly FlatAdam owner;
        private readonly Tensor first;
        private readonly Tensor second;

        public SliceState(FlatAdam owner, Parameter parameter, Tensor first, Tensor second) : base(parameter)
        {
            this.owner = owner;
            this.first = first;
            this.second = second;
        }

        public override void SaveStateDict(BinaryWriter writer)
        {
            writer.Write(owner.stepCount);
            first.Save(writer);
            second.Save(writer);
            writer.Write(false);
        }

        public override void LoadStateDict(BinaryReader reader)
        {
            owner.stepCount = reader.ReadInt64();
            first.Load(reader);
            second.Load(reader);
            if (reader.ReadBoolean())
                throw new InvalidDataException("The optimizer state holds AMSGrad maxima; this optimizer does not use AMSGrad.");
        }

        public override void LoadStateDict(OptimizerState source)
        {
            var other = (SliceState)source;
            owner.stepCount = other.owner.stepCount;
            using var _ = no_grad();
            first.copy_(other.first);
            second.copy_(other.second);
        }

        public override bool ApproximatelyEquals(OptimizerState other) =>
            other is SliceState s && s.owner.stepCount == owner.stepCount && s.first.allclose(first) && s.second.allclose(second);

        public override void Initialize(OptimizerOptions options)
        {
            using var _ = no_grad();
            first.zero_();
            second.zero_();
        }

        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>
/// The contract every Tractable model keeps: an exact log-likelihood and sampling. Flows, autoregressive
/// models and VAEs all derive from it, so one trainer, one evaluator and one CLI serve them all.
/// </summary>
public abstract class DensityModel : nn.Module
{
    /// <summary>Creates a model built from <paramref name="config"/>.</summary>
    protected DensityModel(string name, ModelConfig config) : base(name) => Config = config;

    /// <summary>The configuration that rebuilds this model (saved beside its weights).</summary>
    public ModelConfig Config { get; }

    /// <summary>Whether <see cref="LogProb"/> can be computed for arbitrary data (false for planar/radial flows).</summary>
    public virtual bool SupportsLogProb => true;

    /// <summary>Log-likelihood in nats of each example: <paramref name="x"/> is <c>[B, ...]</c>, the result <c>[B]</c>.</summary>
    public abstract Tensor LogProb(Tensor x, Tensor? context = null);

    /// <summary>Draws <paramref name="n"/> examples (one per context row when a context is given).</summary>
    public abstract Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0);

    /// <summary>
    /// The context this model conditions on for examples with class <paramref name="labels"/> (e.g. one-hot rows), or
    /// null for a model that ignores labels (the default). Trainer, evaluator and CLI pass labels through this.
    /// </summary>
    public virtual Tensor? ContextFromLabels(Tensor labels) => null;

    /// <summary>Data-dependent initialization from a training batch (standardization, ActNorm); a no-op by default.</summary>
    public virtual void InitializeFromData(Tensor x, Tensor? context = null) { }

    /// <summary>The dtype of the model's parameters (the default dtype for a model without any), for the tensors it makes.</summary>
    protected ScalarType ParameterDtype => parameters().FirstOrDefault()?.dtype ?? get_default_dtype();

    /// <summary>The number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Switches the model to training or evaluation mode (dropout, batch-norm statistics), without gradients, until the
    /// result is disposed, which restores the mode it had and the gradient mode: for evaluation, sampling and
    /// data-dependent initialization in the middle of a training run.
    /// </summary>
    public IDisposable InMode(bool training) => new ModeScope(this, training);

    private sealed class ModeScope : IDisposable
    {
        private readonly DensityModel model;
        private readonly bool wasTraining;
        private readonly IDisposable noGrad;

        public ModeScope(DensityModel model, bool training)
        {
            this.model = model;
            wasTraining = model.training;
            model.train(training);
            noGrad = no_grad();
        }

        public void Dispose()
        {
            noGrad.Dispose();
            model.train(wasTraining);
        }
    }

    /// <summary>Saves weights and configuration to <paramref name="directory"/> (see <see cref="ModelStore"/>).</summary>
    public void Save(string directory) => ModelStore.Save(this, directory);

    /// <summary>Rebuilds a model saved by <see cref="Save"/> and loads its weights.</summary>
    public static DensityModel Load(string directory, Device? device = null) => ModelStore.Load(directory, device);
}

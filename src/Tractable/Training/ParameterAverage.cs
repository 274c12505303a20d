using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// Polyak averaging of the weights: a shadow copy of every trainable parameter that follows an exponential moving
/// average of the parameters over the optimizer steps. Averaging the iterates of stochastic gradient descent reduces
/// the noise of the final point (Polyak &amp; Juditsky 1992, "Acceleration of stochastic approximation by averaging");
/// PixelCNN++ (Salimans et al. 2017) and Glow (Kingma &amp; Dhariwal 2018) evaluate with an exponential moving
/// average of the parameters.
/// </summary>
/// <remarks>
/// After update n (counted from 0) the shadow is <c>d·shadow + (1 − d)·θ</c> with
/// <c>d = min(decay, (1 + n) / (10 + n))</c>, TensorFlow's <c>ExponentialMovingAverage</c> with <c>num_updates</c>:
/// the smaller effective decay of the first updates keeps the average from being dominated by the initialization.
/// Buffers (batch-norm running statistics, ActNorm's flag) are not averaged: they stay as training left them. The
/// shadow tensors belong to no dispose scope; <see cref="Dispose"/> frees them.
/// </remarks>
public sealed class ParameterAverage : IDisposable
{
    private const string Magic = "tractable-parameter-average-v1";

    private readonly string[] names;
    private readonly Tensor[] parameters;
    private readonly Tensor[] shadow;

    /// <summary>Starts the average at the model's current trainable parameters.</summary>
    /// <param name="model">The model whose trainable parameters (<c>requires_grad</c>) are averaged.</param>
    /// <param name="decay">The decay of the average, in [0, 1); 0 keeps the latest parameters.</param>
    public ParameterAverage(nn.Module model, double decay)
    {
        if (!(decay >= 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The average's decay must be in [0, 1).");
        Decay = decay;
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        names = trainable.Select(p => p.name).ToArray();
        parameters = trainable.Select(p => (Tensor)p.parameter).ToArray();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        shadow = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The decay of the average.</summary>
    public double Decay { get; }

    /// <summary>Updates made so far (the <c>n</c> of the warm-up).</summary>
    public long Updates { get; private set; }

    /// <summary>The decay the next update uses: <c>min(decay, (1 + n) / (10 + n))</c>.</summary>
    public double NextDecay => Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates));

    /// <summary>Folds the current parameters into the average; call after each optimizer step.</summary>
    public void Update()
    {
        double d = NextDecay;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < shadow.Length; i++) shadow[i].mul_(d).add_(parameters[i].detach(), alpha: 1 - d);
        Updates++;
    }

    /// <summary>Starts the average over at the current parameters, with no updates.</summary>
    public void Reset()
    {
        using var _ = no_grad();
        for (int i = 0; i < shadow.Length; i++) shadow[i].copy_(parameters[i]);
        Updates = 0;
    }

    /// <summary>
    /// Puts the averaged values into the model's parameters until the returned object is disposed, which puts the raw
    /// (training) values back exactly.
    /// </summary>
    public IDisposable Apply()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor[] raw = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        CopyToModel();
        return new Restore(parameters, raw);
    }

    /// <summary>Overwrites the model's parameters with the average, for good.</summary>
    public void CopyToModel()
    {
        using var _ = no_grad();
        for (int i = 0; i < shadow.Length; i++) parameters[i].copy_(shadow[i]);
    }

    /// <summary>The averaged value of the parameter called <paramref name="name"/> (a view; do not dispose).</summary>
    public Tensor this[string name]
    {
        get
        {
            int i = Array.IndexOf(names, name);
            return i >= 0 ? shadow[i] : throw new KeyNotFoundException($"No averaged parameter '{name}'.");
        }
    }

    /// <summary>Writes the average (update count, then each parameter's name and averaged value) to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(Updates);
        writer.Write(shadow.Length);
        for (int i = 0; i < shadow.Length; i++)
        {
            writer.Write(names[i]);
            shadow[i].Save(writer);
        }
    }

    /// <summary>Reads an average written by <see cref="Save"/> for the same model.</summary>
    public void Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        if (reader.ReadString() != Magic) throw new InvalidDataException($"'{path}' is not a saved parameter average.");
        long updates = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != shadow.Length)
            throw new InvalidDataException($"'{path}' averages {count} parameters; the model has {shadow.Length}.");
        using var _ = no_grad();
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            if (name != names[i]) throw new InvalidDataException($"'{path}': expected parameter '{names[i]}', found '{name}'.");
            shadow[i].Load(reader);
        }
        Updates = updates;
    }

    /// <summary>Frees the shadow tensors.</summary>
    public void Dispose()
    {
        foreach (Tensor t in shadow) t.Dispose();
    }

    private sealed class Restore(Tensor[] parameters, Tensor[] raw) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            using var _ = no_grad();
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].copy_(raw[i]);
                raw[i].Dispose();
            }
        }
    }
}

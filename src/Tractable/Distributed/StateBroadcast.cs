using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Distributed;

/// <summary>
/// Makes every rank start where rank 0 is: its weights and buffers (ActNorm's data-dependent scales and its
/// "initialized" flag, a standardizing layer's statistics, batch-norm running averages), its default random generator
/// and the objective's generator of model noise.
/// </summary>
public static class StateBroadcast
{
    /// <summary>
    /// Copies rank 0's state of <paramref name="model"/>, its default generator's state and that of
    /// <paramref name="randomness"/> (when given) to every rank.
    /// </summary>
    public static void FromRoot(nn.Module model, ICollective collective, TrainingRandomness? randomness = null)
    {
        if (collective.Size == 1) return;
        Tensor[] state = [.. model.state_dict().Values];
        using (var buckets = new FlatBuckets(state))
            buckets.Run(state, collective.BroadcastInPlace);
        using Tensor generator = get_rng_state();
        collective.BroadcastInPlace(generator);
        set_rng_state(generator);
        if (randomness is null) return;
        using Tensor noise = randomness.Generator.get_state();
        collective.BroadcastInPlace(noise);
        randomness.Generator.set_state(noise);
    }
}

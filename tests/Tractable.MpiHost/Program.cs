// Runs as one rank of an MPI job started by the tests (or alone, for the one-process reference): builds a small Glow,
// initializes it from data through the data-parallel objective, and writes the weights and the state of the generator of
// model noise this rank then holds to OUT/rank<r>/ (model.json, model.bin, randomness.bin), so that the tests can
// compare the ranks with each other and with one process.
using Tractable.Data;
using Tractable.Distributed;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Runtime;
using static TorchSharp.torch;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Tractable.MpiHost OUT_FOLDER");
    return 2;
}
NativeBackend.EnsureLoaded();
set_num_threads(1);
ICollective world = ProcessGroup.JoinFromEnvironment();

using var images = new Generator(17);
Tensor x = randint(0, 256, [600, 1, 8, 8], generator: images).to(float32);
var data = new DataSplits("random-images", new Split(x.narrow(0, 0, 400)), new Split(x.narrow(0, 400, 100)), new Split(x.narrow(0, 500, 100)))
{
    Levels = 256,
};
manual_seed(3);
DensityModel model = ModelRegistry.Find("glow")
    .CreateConfig(new DataShape([1, 8, 8], 0, 256), new Dictionary<string, string> { ["layers"] = "2", ["hidden"] = "8", ["levels"] = "2" })
    .Build();
// Every rank but 0 starts from other weights, so that only the broadcast can make the ranks agree.
if (!world.IsRoot)
    using (no_grad())
        foreach (var p in model.parameters()) p.add_(world.Rank);
using var generator = new Generator(11);
var objective = new ShardedMaximumLikelihood(data, CPU, world);
objective.Initialize(model, generator);
string folder = Path.Combine(args[0], $"rank{world.Rank}");
ModelStore.Save(model, folder);
objective.Randomness.Save(Path.Combine(folder, "randomness.bin"));
return ProcessGroup.Leave(0);

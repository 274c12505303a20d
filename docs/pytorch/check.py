"""Checks a PyTorch port against Tractable: loads a run's model.json and exported weights into the module of
realnvp.py or glow.py, computes the log-probabilities of the reference batch written by
`tractable export --reference`, and prints the largest difference.

    python3 docs/pytorch/check.py runs/x/model.json x.pt x-check.pt
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from glow import Glow  # noqa: E402
from realnvp import RealNVP  # noqa: E402

MODULES = {"realnvp": RealNVP, "glow": Glow}


def main(config_path, weights_path, reference_path):
    with open(config_path) as f:
        config = json.load(f)
    if config["model"] not in MODULES:
        sys.exit(f"no PyTorch module here for '{config['model']}' (have: {', '.join(MODULES)})")
    model = MODULES[config["model"]].from_config(config)
    model.load_state_dict(torch.load(weights_path))  # strict: every name must match
    model.eval()
    ref = torch.load(reference_path)
    classes = config.get("num_classes") or config.get("context_features") or 0
    context = F.one_hot(ref["labels"].long(), classes).to(ref["x"].dtype) if "labels" in ref else None
    with torch.no_grad():
        if config["model"] == "glow":
            log_prob = model.log_prob(ref["x"], noise=ref["noise"], context=context)
        else:
            log_prob = model.log_prob(ref["x"], context=context)
    delta = (log_prob - ref["log_prob"]).abs().max().item()
    print(f"{config['model']}: {ref['x'].shape[0]} examples, mean log p {log_prob.mean().item():.4f} nats "
          f"(Tractable {ref['log_prob'].mean().item():.4f}), max |Δ log p| = {delta:.3g} nats")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])

"""RealNVP over vectors (Dinh et al. 2017, arXiv:1605.08803) as a PyTorch module that loads Tractable's exported
weights: `RealNVP.from_config(json.load(open("runs/x/model.json")))` then `load_state_dict(torch.load("x.pt"))`.

Mirrors src/Tractable/Models/RealNvpConfig.cs: an optional standardization, then `couplings` affine couplings
with alternating masks, each optionally followed by a batch-norm bijector and (unless the masks alternate) a fixed
permutation, over a standard normal, a learned diagonal normal or a standard logistic base density.
"""
from collections import OrderedDict

import torch
from torch import nn
import torch.nn.functional as F

from layers import AffineMap, Chain, MaskedCoupling, gaussian_log_density, HALF_LOG_2PI

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "elu": nn.ELU, "gelu": nn.GELU, "silu": nn.SiLU}


class Mlp(nn.Module):
    """in (+ context) -> hidden x layers -> out, as Networks/Mlp.cs (layers named linear0, act0, ..., output)."""

    def __init__(self, features, out_features, hidden, layers, context_features, activation):
        super().__init__()
        modules, width = OrderedDict(), features + context_features
        for i in range(layers):
            modules[f"linear{i}"] = nn.Linear(width, hidden)
            modules[f"act{i}"] = ACTIVATIONS[activation]()
            width = hidden
        modules["output"] = nn.Linear(width, out_features)
        self.body = nn.Sequential(modules)
        self.context_features = context_features

    def forward(self, x, context=None):
        return self.body(torch.cat([x, context], 1) if self.context_features > 0 else x)


class Standardize(nn.Module):
    """y = (x - mean) / std with statistics fitted on the training data (Transforms/Standardize.cs)."""

    def __init__(self, features):
        super().__init__()
        self.register_buffer("mean", torch.zeros(features))
        self.register_buffer("std", torch.ones(features))

    def forward(self, x, context=None):
        return (x - self.mean) / self.std, (-self.std.log().sum()).expand(x.shape[0])


class BatchNormBijector(nn.Module):
    """Batch normalization as a bijector, evaluated with its running statistics (Transforms/BatchNormBijector.cs)."""

    def __init__(self, features, eps=1e-5):
        super().__init__()
        self.logGamma = nn.Parameter(torch.zeros(features))
        self.beta = nn.Parameter(torch.zeros(features))
        self.register_buffer("runningMean", torch.zeros(features))
        self.register_buffer("runningVar", torch.ones(features))
        self.eps = eps

    def forward(self, x, context=None):
        y = (x - self.runningMean) * torch.rsqrt(self.runningVar + self.eps) * self.logGamma.exp() + self.beta
        log_det = (self.logGamma - 0.5 * (self.runningVar + self.eps).log()).sum()
        return y, log_det.expand(x.shape[0])


class Permutation(nn.Module):
    """y = x[:, permutation] (Transforms/Permutation.cs); the order itself is loaded with the weights."""

    def __init__(self, features):
        super().__init__()
        self.register_buffer("permutation", torch.arange(features))
        self.register_buffer("inversePermutation", torch.arange(features))

    def forward(self, x, context=None):
        return x.index_select(1, self.permutation), torch.zeros(x.shape[0], dtype=x.dtype, device=x.device)


class StandardNormal(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.register_buffer("anchor", torch.zeros(0))

    def log_prob(self, z):
        return (-0.5 * z ** 2 - HALF_LOG_2PI).sum(1)


class DiagonalNormal(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.loc = nn.Parameter(torch.zeros(features))
        self.logScale = nn.Parameter(torch.zeros(features))

    def log_prob(self, z):
        return gaussian_log_density(z, self.loc, self.logScale).sum(1)


class StandardLogistic(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.register_buffer("anchor", torch.zeros(0))

    def log_prob(self, z):
        return (-z - 2 * F.softplus(-z)).sum(1)


BASES = {"normal": StandardNormal, "diagonal-normal": DiagonalNormal, "logistic": StandardLogistic}


class RealNVP(nn.Module):
    """log p(x) = log p_Z(T(x)) + log|det dT/dx| (Models/Flow.cs); state-dict names transform.steps.N..., base...."""

    def __init__(self, features, couplings=12, hidden_features=128, hidden_layers=2, activation="relu", scale_bound="tanh",
                 batch_norm=False, permutation="alternate", context_features=0, standardize=False, base_distribution="normal"):
        super().__init__()
        steps = [Standardize(features)] if standardize else []
        for i in range(couplings):
            odd = permutation == "alternate" and i % 2 == 1
            mask = (torch.arange(features) % 2 == (1 if odd else 0)).float()
            net = Mlp(features, 2 * features, hidden_features, hidden_layers, context_features, activation)
            steps.append(MaskedCoupling(mask, net, AffineMap(scale_bound)))
            if batch_norm:
                steps.append(BatchNormBijector(features))
            if i < couplings - 1 and permutation != "alternate":
                steps.append(Permutation(features))
        self.transform = Chain(steps)
        self.base = BASES[base_distribution](features)

    @classmethod
    def from_config(cls, config):
        """The module described by a Tractable model.json (a dict)."""
        keys = ["couplings", "hidden_features", "hidden_layers", "activation", "scale_bound", "batch_norm", "permutation",
                "context_features", "standardize", "base_distribution"]
        return cls(config["features"], **{k: config[k] for k in keys if k in config})

    def log_prob(self, x, context=None):
        z, log_det = self.transform(x, context)
        return self.base.log_prob(z) + log_det

"""Layers shared by the PyTorch modules of RealNVP and Glow that load Tractable's exported weights.

Every module here has the attribute names (and so the state-dict names) of the C# module it mirrors in
src/Tractable, and computes the same function. Forward is data -> noise and returns (y, log|det J|) with the
log-det of shape [B], as in Tractable's Bijector.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F

HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def sum_per_example(t):
    """Sums all but the batch dimension (Bijector.SumPerExample)."""
    return t if t.dim() == 1 else t.flatten(1).sum(1)


def gaussian_log_density(x, mean, log_std):
    """Element-wise log N(x; mean, exp(log_std)^2) (Distributions/Gaussian.cs)."""
    return -0.5 * ((x - mean) * torch.exp(-log_std)) ** 2 - log_std - HALF_LOG_2PI


class AffineMap:
    """y = x * s + t with the scale bounded by tanh (RealNVP) or sigmoid (Glow) (Transforms/Elementwise/AffineMap.cs)."""

    parameters_per_element = 2

    def __init__(self, bound, clamp=3.0):
        self.bound, self.clamp = bound, clamp

    def __call__(self, x, params):
        shift, raw = params.chunk(2, 1)
        if self.bound == "tanh":
            log_scale = torch.tanh(raw / self.clamp) * self.clamp
        else:
            log_scale = torch.log(torch.sigmoid(raw + 2) + 1e-3)
        return x * torch.exp(log_scale) + shift, log_scale


class AdditiveMap:
    """y = x + t (Transforms/Elementwise/AdditiveMap.cs)."""

    parameters_per_element = 1

    def __call__(self, x, params):
        return x + params, torch.zeros_like(x)


class MaskedCoupling(nn.Module):
    """y = m*x + (1-m)*f(x; conditioner(m*x)) (Transforms/MaskedCoupling.cs); `mask` is a buffer of the event shape."""

    def __init__(self, mask, conditioner, elementwise):
        super().__init__()
        self.register_buffer("mask", mask.clone())
        self.conditioner = conditioner
        self.elementwise = elementwise

    def forward(self, x, context=None):
        kept = x * self.mask
        y, log_det = self.elementwise(x, self.conditioner(kept, context))
        return kept + (1 - self.mask) * y, sum_per_example((1 - self.mask) * log_det)


class Chain(nn.Module):
    """Bijectors applied in order, log-dets summed (Transforms/Chain.cs)."""

    def __init__(self, steps):
        super().__init__()
        self.steps = nn.ModuleList(steps)

    def forward(self, x, context=None):
        total = torch.zeros(x.shape[0], dtype=x.dtype, device=x.device)
        for step in self.steps:
            x, log_det = step(x, context)
            total = total + log_det
        return x, total


class Parameterless(nn.Module):
    """A bijector with no state-dict entries whose forward is given as a function of x."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x, context=None):
        return self.fn(x)

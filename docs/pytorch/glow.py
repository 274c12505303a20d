"""Glow (Kingma & Dhariwal 2018, arXiv:1807.03039) as a PyTorch module that loads Tractable's exported weights:
`Glow.from_config(json.load(open("runs/glow/model.json")))` then `load_state_dict(torch.load("glow.pt"))`.

Mirrors src/Tractable/Models/GlowConfig.cs and Models/MultiScale: uniform dequantization, scaling to logit space (or
to [-0.5, 0.5)), then L levels of squeeze -> K x (ActNorm -> invertible 1x1 convolution -> coupling), factoring out
half of the channels with a learned conditional prior after every level but the last, and a learned (optionally
class-conditional) prior on the last level's output. log_prob is in nats of the 8-bit pixel space; bits/dim is
-log_prob / (D ln 2).
"""
import math

import torch
from torch import nn
import torch.nn.functional as F

from layers import AdditiveMap, AffineMap, Chain, MaskedCoupling, Parameterless, gaussian_log_density


class ZeroConv2d(nn.Module):
    """A zero-initialized 3x3 convolution scaled by exp(3 logScale) per channel (Networks/ZeroConv2d.cs)."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.logScale = nn.Parameter(torch.zeros(out_channels, 1, 1))

    def forward(self, x):
        return self.conv(x) * torch.exp(self.logScale * 3)


class GlowConditioner(nn.Module):
    """conv 3x3 -> ReLU -> conv 1x1 -> ReLU -> ZeroConv2d (Networks/GlowConditioner.cs); the context is ignored."""

    def __init__(self, in_channels, out_channels, hidden):
        super().__init__()
        self.body = nn.Sequential()
        self.body.add_module("conv_in", nn.Conv2d(in_channels, hidden, 3, padding=1))
        self.body.add_module("relu_in", nn.ReLU())
        self.body.add_module("conv_mid", nn.Conv2d(hidden, hidden, 1))
        self.body.add_module("relu_mid", nn.ReLU())
        self.body.add_module("conv_out", ZeroConv2d(hidden, out_channels))

    def forward(self, x, context=None):
        return self.body(x)


class ActNorm(nn.Module):
    """y = (x + bias) * exp(logScale) per channel, log|det| = H W sum(logScale) (Transforms/Image/ActNorm.cs)."""

    def __init__(self, channels):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channels))
        self.logScale = nn.Parameter(torch.zeros(channels))
        self.register_buffer("initialized", torch.zeros(1))

    def forward(self, x, context=None):
        y = (x + self.bias.view(1, -1, 1, 1)) * self.logScale.exp().view(1, -1, 1, 1)
        return y, (self.logScale.sum() * x.shape[2] * x.shape[3]).expand(x.shape[0])


class LUInvertible1x1Conv(nn.Module):
    """W = P L (U + diag(sign(s) exp(log|s|))) applied at every pixel (Transforms/Image/LUInvertible1x1Conv.cs)."""

    def __init__(self, channels):
        super().__init__()
        self.register_buffer("permutation", torch.eye(channels))
        self.register_buffer("signS", torch.ones(channels))
        self.register_buffer("lowerMask", torch.ones(channels, channels).tril(-1))
        self.lower = nn.Parameter(torch.zeros(channels, channels))
        self.upper = nn.Parameter(torch.zeros(channels, channels))
        self.logS = nn.Parameter(torch.zeros(channels))

    def weight(self):
        eye = torch.eye(self.lower.shape[0], dtype=self.lower.dtype, device=self.lower.device)
        lower = self.lower * self.lowerMask + eye
        upper = self.upper * self.lowerMask.t() + torch.diag(self.signS * self.logS.exp())
        return self.permutation @ lower @ upper

    def forward(self, x, context=None):
        w = self.weight()
        return F.conv2d(x, w.view(*w.shape, 1, 1)), (self.logS.sum() * x.shape[2] * x.shape[3]).expand(x.shape[0])


class Invertible1x1Conv(nn.Module):
    """y = W x at every pixel, log|det| = H W log|det W| (Transforms/Image/Invertible1x1Conv.cs)."""

    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.eye(channels))

    def forward(self, x, context=None):
        log_det = torch.linalg.slogdet(self.weight)[1]
        return F.conv2d(x, self.weight.view(*self.weight.shape, 1, 1)), (log_det * x.shape[2] * x.shape[3]).expand(x.shape[0])


def squeeze(x):
    """[B, C, H, W] -> [B, 4C, H/2, W/2], each 2x2 block becoming 4 channels (Transforms/Image/Squeeze.cs)."""
    b, c, h, w = x.shape
    y = x.reshape(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(b, c * 4, h // 2, w // 2)
    return y, torch.zeros(b, dtype=x.dtype, device=x.device)


class FactorOut(nn.Module):
    """Half of the channels leave, scored by N(z; mu(h), sigma(h)) from a ZeroConv2d of the other half (Models/MultiScale/FactorOut.cs)."""

    def __init__(self, channels):
        super().__init__()
        self.prior = ZeroConv2d(channels // 2, channels)

    def forward(self, h):
        kept, factored = h.chunk(2, 1)
        mean, log_std = self.prior(kept).chunk(2, 1)
        return kept, gaussian_log_density(factored, mean, log_std).flatten(1).sum(1)


class ImagePrior(nn.Module):
    """A learned diagonal Gaussian on the last level's output, its per-channel parameters shifted by a linear function of
    the one-hot class when class-conditional (Models/MultiScale/ImagePrior.cs)."""

    def __init__(self, shape, num_classes):
        super().__init__()
        c, h, w = shape
        self.meanLogStd = nn.Parameter(torch.zeros(2 * c, h, w))
        self.classProjection = nn.Linear(num_classes, 2 * c) if num_classes > 0 else None

    def log_prob(self, z, context=None):
        p = self.meanLogStd.unsqueeze(0).expand(z.shape[0], -1, -1, -1)
        if self.classProjection is not None:
            p = p + self.classProjection(context)[:, :, None, None]
        mean, log_std = p.chunk(2, 1)
        return gaussian_log_density(z, mean, log_std).flatten(1).sum(1)


class Glow(nn.Module):
    """State-dict names levels.L.steps.S..., splits.L.prior..., prior.meanLogStd, as Models/MultiScale/MultiScaleFlow.cs."""

    def __init__(self, image_shape=(1, 28, 28), pixel_levels=256, levels=2, steps_per_level=8, hidden_channels=64,
                 lu_decomposed=True, coupling="affine", preprocessing="logit", logit_alpha=0.05, num_classes=0):
        super().__init__()
        self.pixel_levels, self.preprocessing, self.logit_alpha = pixel_levels, preprocessing, logit_alpha
        shape, chains, splits = list(image_shape), [], []
        for level in range(levels):
            c, h, w = shape[0] * 4, shape[1] // 2, shape[2] // 2
            elementwise = AffineMap("sigmoid") if coupling == "affine" else AdditiveMap()
            steps = [Parameterless(squeeze)]
            for _ in range(steps_per_level):
                steps.append(ActNorm(c))
                steps.append(LUInvertible1x1Conv(c) if lu_decomposed else Invertible1x1Conv(c))
                mask = (torch.arange(c) < c // 2).float().view(c, 1, 1).expand(c, h, w)
                net = GlowConditioner(c, elementwise.parameters_per_element * c, hidden_channels)
                steps.append(MaskedCoupling(mask, net, elementwise))
            chains.append(Chain(steps))
            shape = [c, h, w]
            if level < levels - 1:
                splits.append(FactorOut(c))
                shape = [c // 2, h, w]
        self.levels = nn.ModuleList(chains)
        self.splits = nn.ModuleList(splits)
        self.prior = ImagePrior(shape, num_classes)

    @classmethod
    def from_config(cls, config):
        """The module described by a Tractable model.json (a dict)."""
        keys = ["image_shape", "pixel_levels", "levels", "steps_per_level", "hidden_channels", "lu_decomposed", "coupling",
                "preprocessing", "logit_alpha", "num_classes"]
        return cls(**{k: config[k] for k in keys if k in config})

    def scale(self, x):
        """Dequantized pixels in [0, L) to the flow's input space, with the log-det (Rescale, then Logit)."""
        d = x[0].numel()
        y = x / self.pixel_levels
        log_det = torch.full((x.shape[0],), d * math.log(1 / self.pixel_levels), dtype=x.dtype, device=x.device)
        if self.preprocessing == "centered":
            return y - 0.5, log_det
        p = self.logit_alpha + (1 - 2 * self.logit_alpha) * y
        log_p, log_1mp = p.log(), (1 - p).log()
        return log_p - log_1mp, log_det + (math.log(1 - 2 * self.logit_alpha) - log_p - log_1mp).flatten(1).sum(1)

    def log_prob(self, x, noise=None, context=None):
        """log p(x) of integer pixels x [B, C, H, W] dequantized with noise u ~ U[0, 1) (drawn when not given)."""
        if noise is None:
            noise = torch.rand_like(x)
        # Dequantize.cs: a sum that rounds up to x + 1 is pulled back into x's own cell.
        h, total = self.scale(torch.minimum(x + noise, torch.nextafter(x + 1, x)))
        for level, chain in enumerate(self.levels):
            h, log_det = chain(h)
            total = total + log_det
            if level < len(self.splits):
                h, log_prior = self.splits[level](h)
                total = total + log_prior
        return total + self.prior.log_prob(h, context)

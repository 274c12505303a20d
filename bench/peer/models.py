"""The five reference architectures of the race, written in plain PyTorch.

Each is the same function as the Tractable model it is raced against (same layers, same parameter count, same
initialization scheme where it matters for speed, e.g. zero-initialized output layers):

- RealNVP (Dinh et al. 2017, arXiv:1605.08803): D = 8, 8 affine couplings with alternating masks, the scale and
  shift from one MLP 2x256 (ReLU) per coupling, log-scale bounded by 3*tanh(raw/3).
- MAF (Papamakarios et al. 2017, arXiv:1705.07057): D = 8, 5 MADE layers 2x512, order reversed between layers.
- Glow (Kingma & Dhariwal 2018, arXiv:1807.03039): 1x28x28, L = 2, K = 8 steps of ActNorm, LU 1x1 convolution and
  affine coupling (hidden 256), learned split priors. coupling='split' reads C/2 channels and writes C (the paper);
  coupling='masked' reads the whole masked tensor and writes 2C.
- PixelCNN (van den Oord et al. 2016, arXiv:1601.06759): 7x7 mask-A input to 64 channels, residual blocks and a
  ReLU-1x1-ReLU-1x1 head to a 256-way softmax. block='plain': x + conv3x3_B(relu(x)), 64 -> 64 (the reference);
  block='bottleneck': x + 1x1(relu(3x3_B(relu(1x1(relu(x)))))), 64 -> 32 -> 32 -> 64 (Tractable's default block).
- WaveNet (van den Oord et al. 2016, arXiv:1609.03499): one-hot input shifted by one, a causal width-2 embedding,
  10 gated layers with dilations 1..512, 64 residual and 64 skip channels, ReLU-1x1-ReLU-1x1 head to 256 logits.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def standard_normal_log_prob(z):
    return (-0.5 * z.square() - HALF_LOG_2PI).flatten(1).sum(1)


def gaussian_log_density(x, mean, log_std):
    return ((x - mean) * torch.exp(-log_std)).square() * -0.5 - log_std - HALF_LOG_2PI


def zero_linear(i, o):
    layer = nn.Linear(i, o)
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def inverse_cdf(logits, u):
    """The first level whose cumulative probability exceeds u: [B, L], [B] -> [B]."""
    cdf = logits.softmax(-1).cumsum(-1)
    return (cdf < u.unsqueeze(-1)).sum(-1).clamp_max(logits.shape[-1] - 1)


# ----------------------------------------------------------------------------------------------------------- RealNVP

class RealNVP(nn.Module):
    def __init__(self, features=8, couplings=8, hidden=256, layers=2):
        super().__init__()
        self.nets = nn.ModuleList()
        for i in range(couplings):
            body, width = [], features
            for _ in range(layers):
                body += [nn.Linear(width, hidden), nn.ReLU()]
                width = hidden
            self.nets.append(nn.Sequential(*body, zero_linear(width, 2 * features)))
            self.register_buffer(f"mask{i}", (torch.arange(features) % 2 == i % 2).float())
        self.features = features

    def masks(self):
        return [getattr(self, f"mask{i}") for i in range(len(self.nets))]

    @staticmethod
    def log_scale(raw):
        return torch.tanh(raw / 3) * 3

    def log_prob(self, x):
        total = torch.zeros(x.shape[0])
        for net, mask in zip(self.nets, self.masks()):
            kept = x * mask
            shift, raw = net(kept).chunk(2, 1)
            log_scale = self.log_scale(raw)
            x = kept + (1 - mask) * (x * log_scale.exp() + shift)
            total = total + ((1 - mask) * log_scale).sum(1)
        return standard_normal_log_prob(x) + total

    def sample(self, n):
        y = torch.randn(n, self.features)
        for net, mask in reversed(list(zip(self.nets, self.masks()))):
            kept = y * mask
            shift, raw = net(kept).chunk(2, 1)
            y = kept + (1 - mask) * ((y - shift) * (-self.log_scale(raw)).exp())
        return y


# ---------------------------------------------------------------------------------------------------------------- MAF

class MaskedLinear(nn.Linear):
    def __init__(self, mask, zero=False):
        super().__init__(mask.shape[1], mask.shape[0])
        self.register_buffer("mask", mask.float())
        if zero:
            nn.init.zeros_(self.weight)
            nn.init.zeros_(self.bias)

    def forward(self, x):
        return F.linear(x, self.weight * self.mask, self.bias)


class Made(nn.Module):
    """MADE (Germain et al. 2015): degrees as in Tractable's Made (hidden degrees spread evenly over 1..D-1)."""

    def __init__(self, degrees, hidden, layers, outputs_per_feature):
        super().__init__()
        d = len(degrees)
        inputs = torch.tensor(degrees)
        hidden_degrees = torch.tensor([1 + (k * (d - 1)) // hidden for k in range(hidden)])
        mods, previous = [], inputs
        for _ in range(layers):
            mods.append(MaskedLinear(hidden_degrees[:, None] >= previous[None, :]))
            previous = hidden_degrees
        self.hidden = nn.ModuleList(mods)
        out_degrees = inputs.repeat(outputs_per_feature)
        self.output = MaskedLinear(out_degrees[:, None] > previous[None, :], zero=True)

    def forward(self, x):
        for layer in self.hidden:
            x = F.relu(layer(x))
        return self.output(x)


class MAF(nn.Module):
    def __init__(self, features=8, layers=5, hidden=512, hidden_layers=2):
        super().__init__()
        natural = list(range(1, features + 1))
        self.mades = nn.ModuleList(
            Made(natural if i % 2 == 0 else natural[::-1], hidden, hidden_layers, 2) for i in range(layers))
        self.features = features

    def log_prob(self, x):
        total = torch.zeros(x.shape[0])
        for made in self.mades:
            shift, raw = made(x).chunk(2, 1)
            log_scale = torch.tanh(raw / 3) * 3
            x = x * log_scale.exp() + shift
            total = total + log_scale.sum(1)
        return standard_normal_log_prob(x) + total

    def sample(self, n):
        y = torch.randn(n, self.features)
        for made in reversed(self.mades):
            x = torch.zeros_like(y)
            for _ in range(self.features):           # D passes: pass k fixes the feature of degree k
                shift, raw = made(x).chunk(2, 1)
                x = (y - shift) * (-(torch.tanh(raw / 3) * 3)).exp()
            y = x
        return y


# --------------------------------------------------------------------------------------------------------------- Glow

class ZeroConv2d(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.conv = nn.Conv2d(i, o, 3, padding=1)
        nn.init.zeros_(self.conv.weight)
        nn.init.zeros_(self.conv.bias)
        self.logs = nn.Parameter(torch.zeros(o, 1, 1))

    def forward(self, x):
        return self.conv(x) * torch.exp(self.logs * 3)


class ActNorm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(c))
        self.logs = nn.Parameter(torch.zeros(c))
        self.register_buffer("initialized", torch.zeros(1))

    def forward(self, x):
        if self.training and self.initialized.item() == 0:
            with torch.no_grad():
                mean = x.mean((0, 2, 3))
                std = (x - mean.view(1, -1, 1, 1)).square().mean((0, 2, 3)).sqrt()
                self.bias.copy_(-mean)
                self.logs.copy_(-(std + 1e-6).log())
                self.initialized.fill_(1)
        y = (x + self.bias.view(1, -1, 1, 1)) * self.logs.exp().view(1, -1, 1, 1)
        return y, (self.logs.sum() * x.shape[2] * x.shape[3]).expand(x.shape[0])

    def inverse(self, y):
        return y * (-self.logs).exp().view(1, -1, 1, 1) - self.bias.view(1, -1, 1, 1)


class LUConv1x1(nn.Module):
    def __init__(self, c):
        super().__init__()
        q = torch.linalg.qr(torch.randn(c, c))[0]
        p, lower, upper = torch.linalg.lu(q.double())
        s = upper.diagonal()
        self.register_buffer("p", p.float())
        self.register_buffer("sign_s", s.sign().float())
        self.register_buffer("lower_mask", torch.ones(c, c).tril(-1))
        self.lower = nn.Parameter(lower.tril(-1).float())
        self.upper = nn.Parameter(upper.triu(1).float())
        self.log_s = nn.Parameter(s.abs().log().float())

    def weight(self):
        eye = torch.eye(self.lower.shape[0])
        lower = self.lower * self.lower_mask + eye
        upper = self.upper * self.lower_mask.t() + torch.diag(self.sign_s * self.log_s.exp())
        return self.p @ lower @ upper

    def forward(self, x):
        w = self.weight()
        return F.conv2d(x, w.view(w.shape[0], w.shape[1], 1, 1)), \
            (self.log_s.sum() * x.shape[2] * x.shape[3]).expand(x.shape[0])

    def inverse(self, y):
        w = torch.linalg.inv(self.weight())
        return F.conv2d(y, w.view(w.shape[0], w.shape[1], 1, 1))


class AffineCoupling(nn.Module):
    """Glow's affine coupling, s = sigmoid(raw + 2) + 1e-3. 'split': NN(x_a) with C/2 -> C; 'masked': NN(m*x), C -> 2C."""

    def __init__(self, c, hidden, coupling):
        super().__init__()
        self.split = coupling == "split"
        cin, cout = (c // 2, c) if self.split else (c, 2 * c)
        self.net = nn.Sequential(nn.Conv2d(cin, hidden, 3, padding=1), nn.ReLU(), nn.Conv2d(hidden, hidden, 1),
                                 nn.ReLU(), ZeroConv2d(hidden, cout))
        if not self.split:
            self.register_buffer("mask", (torch.arange(c) < c // 2).float().view(c, 1, 1))

    @staticmethod
    def log_scale(raw):
        return (torch.sigmoid(raw + 2) + 1e-3).log()

    def forward(self, x):
        if self.split:
            xa, xb = x.chunk(2, 1)
            shift, raw = self.net(xa).chunk(2, 1)
            log_scale = self.log_scale(raw)
            return torch.cat([xa, xb * log_scale.exp() + shift], 1), log_scale.flatten(1).sum(1)
        kept = x * self.mask
        shift, raw = self.net(kept).chunk(2, 1)
        log_scale = self.log_scale(raw)
        y = kept + (1 - self.mask) * (x * log_scale.exp() + shift)
        return y, ((1 - self.mask) * log_scale).flatten(1).sum(1)

    def inverse(self, y):
        if self.split:
            ya, yb = y.chunk(2, 1)
            shift, raw = self.net(ya).chunk(2, 1)
            return torch.cat([ya, (yb - shift) * (-self.log_scale(raw)).exp()], 1)
        kept = y * self.mask
        shift, raw = self.net(kept).chunk(2, 1)
        return kept + (1 - self.mask) * ((y - shift) * (-self.log_scale(raw)).exp())


def squeeze(x):
    b, c, h, w = x.shape
    return x.reshape(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(b, c * 4, h // 2, w // 2)


def unsqueeze(y):
    b, c, h, w = y.shape
    return y.reshape(b, c // 4, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3).reshape(b, c // 4, h * 2, w * 2)


class Glow(nn.Module):
    def __init__(self, shape=(1, 28, 28), levels=2, steps=8, hidden=256, coupling="split", alpha=0.05):
        super().__init__()
        self.alpha = alpha
        self.levels = nn.ModuleList()
        self.priors = nn.ModuleList()
        c, h, w = shape
        for level in range(levels):
            c, h, w = c * 4, h // 2, w // 2
            self.levels.append(nn.ModuleList(
                nn.ModuleList([ActNorm(c), LUConv1x1(c), AffineCoupling(c, hidden, coupling)]) for _ in range(steps)))
            if level < levels - 1:
                self.priors.append(ZeroConv2d(c // 2, c))
                c //= 2
        self.top = nn.Parameter(torch.zeros(2 * c, h, w))
        self.shape = shape

    def log_prob(self, x):
        d = x[0].numel()
        x = (x + torch.rand_like(x)) / 256
        p = self.alpha + (1 - 2 * self.alpha) * x
        log_p, log_1mp = p.log(), (1 - p).log()
        h = log_p - log_1mp
        total = d * math.log(1 / 256) + (math.log(1 - 2 * self.alpha) - log_p - log_1mp).flatten(1).sum(1)
        for level, steps in enumerate(self.levels):
            h = squeeze(h)
            for step in steps:
                for layer in step:
                    h, ld = layer(h)
                    total = total + ld
            if level < len(self.priors):
                h, z = h.chunk(2, 1)
                mean, log_std = self.priors[level](h).chunk(2, 1)
                total = total + gaussian_log_density(z, mean, log_std).flatten(1).sum(1)
        mean, log_std = self.top.unsqueeze(0).expand(x.shape[0], -1, -1, -1).chunk(2, 1)
        return total + gaussian_log_density(h, mean, log_std).flatten(1).sum(1)

    def sample(self, n):
        mean, log_std = self.top.unsqueeze(0).expand(n, -1, -1, -1).chunk(2, 1)
        h = mean + torch.randn(mean.shape) * log_std.exp()
        for level in reversed(range(len(self.levels))):
            if level < len(self.priors):
                mean, log_std = self.priors[level](h).chunk(2, 1)
                h = torch.cat([h, mean + torch.randn(mean.shape) * log_std.exp()], 1)
            for step in reversed(self.levels[level]):
                for layer in reversed(step):
                    h = layer.inverse(h)
            h = unsqueeze(h)
        x = (torch.sigmoid(h) - self.alpha) / (1 - 2 * self.alpha)
        return (x * 256).floor().clamp(0, 255)


# ----------------------------------------------------------------------------------------------------------- PixelCNN

def raster_mask(out_c, in_c, k, kind):
    """1 above the centre row, left of the centre in its row, and at the centre for type B (one colour)."""
    m = torch.zeros(out_c, in_c, k, k)
    c = k // 2
    m[:, :, :c, :] = 1
    m[:, :, c, :c] = 1
    if kind == "B":
        m[:, :, c, c] = 1
    return m


class MaskedConv2d(nn.Conv2d):
    def __init__(self, in_c, out_c, k, kind):
        super().__init__(in_c, out_c, k, padding=k // 2)
        self.register_buffer("mask", raster_mask(out_c, in_c, k, kind))

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)

    def patch_matrix(self):
        return (self.weight * self.mask).flatten(1).t().contiguous()

    def at(self, cache, row, col, matrix):
        k = self.kernel_size[0]
        patch = cache[:, :, row:row + k, col:col + k].flatten(1)
        return torch.addmm(self.bias, patch, matrix)


class PixelCNN(nn.Module):
    def __init__(self, channels=64, blocks=10, levels=256, block="plain", head=64):
        super().__init__()
        self.levels = levels
        self.plain = block == "plain"
        self.input = MaskedConv2d(1, channels, 7, "A")
        if self.plain:
            self.blocks = nn.ModuleList(MaskedConv2d(channels, channels, 3, "B") for _ in range(blocks))
        else:
            half = channels // 2
            self.blocks = nn.ModuleList(nn.ModuleList([MaskedConv2d(channels, half, 1, "B"), MaskedConv2d(half, half, 3, "B"),
                                                       MaskedConv2d(half, channels, 1, "B")]) for _ in range(blocks))
        self.hidden = MaskedConv2d(channels, head, 1, "B")
        self.output = MaskedConv2d(head, levels, 1, "B")

    def scale(self, x):
        return x * (2.0 / (self.levels - 1)) - 1.0

    def logits(self, x):
        h = self.input(self.scale(x))
        for block in self.blocks:
            if self.plain:
                h = h + block(F.relu(h))
            else:
                h = h + block[2](F.relu(block[1](F.relu(block[0](F.relu(h))))))
        return self.output(F.relu(self.hidden(F.relu(h))))

    def log_prob(self, x):
        logp = self.logits(x).log_softmax(1)                                    # [B, L, H, W]
        return logp.gather(1, x.long()).flatten(1).sum(1)

    def sample(self, n, height=28, width=28):
        """Cached sampling: every masked k x k convolution keeps its (padded) input map, filled pixel by pixel, and
        each pixel costs one patch product per layer."""
        spatial = [b if self.plain else b[1] for b in self.blocks]
        image = torch.zeros(n, 1, height + 6, width + 6)
        caches = [torch.zeros(n, conv.in_channels, height + 2, width + 2) for conv in spatial]
        a_matrix = self.input.patch_matrix()
        matrices = [conv.patch_matrix() for conv in spatial]
        if not self.plain:
            reduce = [(b[0].weight.flatten(1).t().contiguous(), b[0].bias) for b in self.blocks]
            expand = [(b[2].weight.flatten(1).t().contiguous(), b[2].bias) for b in self.blocks]
        hidden_w, out_w = self.hidden.weight.flatten(1).t().contiguous(), self.output.weight.flatten(1).t().contiguous()
        uniforms = torch.rand(n, height, width)
        x = torch.zeros(n, 1, height, width)
        for i in range(height):
            for j in range(width):
                a = self.input.at(image, i, j, a_matrix)                         # [n, C]
                for l, conv in enumerate(spatial):
                    if self.plain:
                        caches[l][:, :, i + 1, j + 1] = F.relu(a)
                        a = a + conv.at(caches[l], i, j, matrices[l])
                    else:
                        w, b = reduce[l]
                        caches[l][:, :, i + 1, j + 1] = F.relu(torch.addmm(b, F.relu(a), w))
                        w, b = expand[l]
                        a = a + torch.addmm(b, F.relu(conv.at(caches[l], i, j, matrices[l])), w)
                h = F.relu(torch.addmm(self.hidden.bias, F.relu(a), hidden_w))
                logits = torch.addmm(self.output.bias, h, out_w)
                level = inverse_cdf(logits.log_softmax(1), uniforms[:, i, j]).float()
                x[:, 0, i, j] = level
                image[:, 0, i + 3, j + 3] = self.scale(level)
        return x


# ------------------------------------------------------------------------------------------------------------ WaveNet

class WaveNet(nn.Module):
    def __init__(self, levels=256, residual=64, skip=64, dilations=tuple(2 ** i for i in range(10))):
        super().__init__()
        self.levels, self.residual, self.dilations = levels, residual, dilations
        self.input = nn.Conv1d(levels, residual, 2)
        self.dilated = nn.ModuleList(nn.Conv1d(residual, 2 * residual, 2, dilation=d) for d in dilations)
        self.outputs = nn.ModuleList(nn.Conv1d(residual, residual + skip, 1) for _ in dilations)
        self.head = nn.Conv1d(skip, skip, 1)
        self.logits_layer = nn.Conv1d(skip, levels, 1)

    @property
    def receptive_field(self):
        return 2 + sum(self.dilations)

    def logits(self, x):
        """x: levels [B, T] -> logits [B, Q, T]; position t sees samples < t."""
        t = x.shape[1]
        one_hot = F.one_hot(x.long(), self.levels).float().permute(0, 2, 1)
        shifted = F.pad(one_hot, (1, 0))[:, :, :t]
        h = self.input(F.pad(shifted, (1, 0)))
        skip = None
        r = self.residual
        for d, dilated, output in zip(self.dilations, self.dilated, self.outputs):
            z = dilated(F.pad(h, (d, 0)))
            o = output(torch.tanh(z[:, :r]) * torch.sigmoid(z[:, r:]))
            h = h + o[:, :r]
            skip = o[:, r:] if skip is None else skip + o[:, r:]
        return self.logits_layer(F.relu(self.head(F.relu(skip))))

    def log_prob(self, x):
        logp = self.logits(x).log_softmax(1)
        return logp.gather(1, x.long().unsqueeze(1)).squeeze(1).sum(1)

    def generate_naive(self, batch, length):
        out = torch.zeros(batch, length, dtype=torch.long)
        field = self.receptive_field
        for t in range(length):
            start = max(0, t - field)
            logits = self.logits(out[:, start:t + 1])[:, :, t - start]
            out[:, t] = inverse_cdf(logits.double(), torch.rand(batch, dtype=torch.float64))
        return out

    def generate_fast(self, batch, length):
        """Fast WaveNet (Paine et al. 2016): a queue of past inputs per layer, one step through every layer per sample."""
        r = self.residual
        taps = [(conv.weight[:, :, 0].t().contiguous(), conv.weight[:, :, 1].t().contiguous(), conv.bias)
                for conv in [self.input, *self.dilated]]
        outputs = [(o.weight[:, :, 0].t().contiguous(), o.bias) for o in self.outputs]
        head = (self.head.weight[:, :, 0].t().contiguous(), self.head.bias)
        final = (self.logits_layer.weight[:, :, 0].t().contiguous(), self.logits_layer.bias)
        queues = [torch.zeros(1, batch, self.levels)] + [torch.zeros(d, batch, r) for d in self.dilations]
        out = torch.zeros(batch, length, dtype=torch.long)
        previous = torch.zeros(batch, self.levels)
        for t in range(length):
            w0, w1, b = taps[0]
            slot = queues[0][0]
            h = torch.addmm(torch.addmm(b, slot, w0), previous, w1)
            slot.copy_(previous)
            skip = head[1].new_zeros(batch, head[0].shape[0])
            for i, d in enumerate(self.dilations):
                w0, w1, b = taps[i + 1]
                slot = queues[i + 1][t % d]
                z = torch.addmm(torch.addmm(b, slot, w0), h, w1)
                slot.copy_(h)
                o = torch.addmm(outputs[i][1], torch.tanh(z[:, :r]) * torch.sigmoid(z[:, r:]), outputs[i][0])
                h = h + o[:, :r]
                skip = skip + o[:, r:]
            logits = torch.addmm(final[1], F.relu(torch.addmm(head[1], F.relu(skip), head[0])), final[0])
            level = inverse_cdf(logits.double(), torch.rand(batch, dtype=torch.float64))
            out[:, t] = level
            previous = F.one_hot(level, self.levels).float()
        return out

"""A plain-PyTorch AutoencoderKL (diffusers' VAE, FLUX's configuration), written from the published
architecture for cross-checking the JVM's VAE (diffusers itself is not installable here).

Weights are a dict keyed by diffusers' parameter names; config is the diffusers config.json dict.
"""
import math

import torch
import torch.nn.functional as F

EPS = 1e-6


def group_norm(w, name, x, groups):
    return F.group_norm(x, groups, w[name + ".weight"], w[name + ".bias"], EPS)


def conv(w, name, x, stride=1, padding=None):
    weight = w[name + ".weight"]
    if padding is None:
        padding = weight.shape[-1] // 2
    return F.conv2d(x, weight, w[name + ".bias"], stride=stride, padding=padding)


def resnet(w, name, x, groups):
    h = conv(w, name + ".conv1", F.silu(group_norm(w, name + ".norm1", x, groups)))
    h = conv(w, name + ".conv2", F.silu(group_norm(w, name + ".norm2", h, groups)))
    if name + ".conv_shortcut.weight" in w:
        x = conv(w, name + ".conv_shortcut", x)
    return x + h


def attention(w, name, x, groups):
    b, c, hh, ww = x.shape
    h = group_norm(w, name + ".group_norm", x, groups).reshape(b, c, hh * ww).transpose(1, 2)
    q = F.linear(h, w[name + ".to_q.weight"], w[name + ".to_q.bias"])
    k = F.linear(h, w[name + ".to_k.weight"], w[name + ".to_k.bias"])
    v = F.linear(h, w[name + ".to_v.weight"], w[name + ".to_v.bias"])
    scores = q @ k.transpose(1, 2) / math.sqrt(c)
    out = torch.softmax(scores, -1) @ v
    out = F.linear(out, w[name + ".to_out.0.weight"], w[name + ".to_out.0.bias"])
    return out.transpose(1, 2).reshape(b, c, hh, ww) + x


def mid_block(w, name, x, cfg):
    g = cfg["norm_num_groups"]
    x = resnet(w, name + ".resnets.0", x, g)
    if cfg.get("mid_block_add_attention", True):
        x = attention(w, name + ".attentions.0", x, g)
    return resnet(w, name + ".resnets.1", x, g)


def encode(w, cfg, images):
    """Returns the posterior (mean, std) before any latent normalisation."""
    g = cfg["norm_num_groups"]
    n = len(cfg["block_out_channels"])
    h = conv(w, "encoder.conv_in", images)
    for i in range(n):
        for j in range(cfg["layers_per_block"]):
            h = resnet(w, f"encoder.down_blocks.{i}.resnets.{j}", h, g)
        if i < n - 1:
            h = conv(w, f"encoder.down_blocks.{i}.downsamplers.0.conv", F.pad(h, (0, 1, 0, 1)), stride=2, padding=0)
    h = mid_block(w, "encoder.mid_block", h, cfg)
    moments = conv(w, "encoder.conv_out", F.silu(group_norm(w, "encoder.conv_norm_out", h, g)))
    if cfg.get("use_quant_conv", True):
        moments = conv(w, "quant_conv", moments)
    mean, logvar = moments.chunk(2, dim=1)
    return mean, torch.exp(0.5 * logvar.clamp(-30.0, 20.0))


def decode(w, cfg, z):
    """Raw latents to images (no clamping)."""
    g = cfg["norm_num_groups"]
    n = len(cfg["block_out_channels"])
    if cfg.get("use_post_quant_conv", True):
        z = conv(w, "post_quant_conv", z)
    h = conv(w, "decoder.conv_in", z)
    h = mid_block(w, "decoder.mid_block", h, cfg)
    for i in range(n):
        for j in range(cfg["layers_per_block"] + 1):
            h = resnet(w, f"decoder.up_blocks.{i}.resnets.{j}", h, g)
        if i < n - 1:
            h = conv(w, f"decoder.up_blocks.{i}.upsamplers.0.conv", F.interpolate(h, scale_factor=2.0, mode="nearest"))
    return conv(w, "decoder.conv_out", F.silu(group_norm(w, "decoder.conv_norm_out", h, g)))

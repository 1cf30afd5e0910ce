"""Loads a checkpoint `urae model init` wrote into the plain-PyTorch references and checks it:

  python3 model/src/test/python/init_references.py CHECKPOINT IO_FILE

transformer/ (config.json, weights possibly sharded) must hold exactly the tensors of flux_reference.py's
layout, shape for shape, and the reference's forward pass on IO_FILE's inputs (packed, txt, pooled,
sigma, guidance; metadata latent_h, latent_w) must give IO_FILE's `output` (the JVM's) within 1e-4 of
the output's largest magnitude. vae/ must load into vae_reference.py with every tensor used by an
encode and a decode, both finite. Prints the figures, then "ok".
"""
import glob
import json
import math
import os
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "main", "resources", "dev", "urae", "model", "bench"))
import flux_reference as flux  # noqa: E402
import vae_reference as vae  # noqa: E402
from vae_references import Tracking  # noqa: E402

RELATIVE_TOLERANCE = 1e-4


def component(checkpoint, name):
    """(config, every tensor of every shard) of one diffusers component folder."""
    folder = os.path.join(checkpoint, name)
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    tensors = {}
    for shard in sorted(glob.glob(os.path.join(folder, "*.safetensors"))):
        tensors.update(load_file(shard))
    assert tensors, f"{folder}: no .safetensors file"
    return cfg, tensors


def reference_config(cfg):
    """flux_reference.py's Config of a diffusers transformer config.json."""
    return flux.Config(cfg["in_channels"], cfg["num_layers"], cfg["num_single_layers"], cfg["attention_head_dim"],
                       cfg["num_attention_heads"], cfg["joint_attention_dim"], cfg["pooled_projection_dim"],
                       cfg["guidance_embeds"], tuple(cfg["axes_dims_rope"]), cfg.get("rope_theta", 10000.0))


def check_transformer(checkpoint, io_file):
    cfg, weights = component(checkpoint, "transformer")
    c = reference_config(cfg)
    expected = dict(flux.layout(c))
    missing = sorted(set(expected) - set(weights))
    unexpected = sorted(set(weights) - set(expected))
    assert not missing and not unexpected, f"transformer: missing {missing}, unexpected {unexpected}"
    wrong = [(n, tuple(weights[n].shape), s) for n, s in expected.items() if tuple(weights[n].shape) != tuple(s)]
    assert not wrong, f"transformer: wrong shapes (name, stored, reference) {wrong}"
    weights = {n: t.float() for n, t in weights.items()}

    io = load_file(io_file)
    with safe_open(io_file, "pt") as f:
        meta = f.metadata()
    out = flux.forward(weights, c, io["packed"], io["txt"], io["pooled"], io["sigma"], io["guidance"],
                       int(meta["latent_h"]), int(meta["latent_w"]))
    jvm = io["output"]
    assert out.shape == jvm.shape, f"transformer output shape: reference {tuple(out.shape)}, JVM {tuple(jvm.shape)}"
    scale = out.abs().max().item()
    diff = (out - jvm).abs().max().item()
    print(f"transformer: {len(weights)} tensors, forward max |ref - jvm| = {diff:.3e}, max |ref| = {scale:.3e}")
    assert scale > 0 and math.isfinite(scale), f"transformer: reference output is degenerate (max |out| = {scale})"
    assert diff <= RELATIVE_TOLERANCE * scale, f"transformer: JVM output differs by {diff:.3e} > {RELATIVE_TOLERANCE} x {scale:.3e}"


def check_vae(checkpoint):
    cfg, stored = component(checkpoint, "vae")
    weights = Tracking({n: t.float() for n, t in stored.items()})
    g = torch.Generator().manual_seed(5)
    down = 2 ** (len(cfg["block_out_channels"]) - 1)
    images = torch.rand(1, cfg["in_channels"], 4 * down, 3 * down, generator=g) * 2 - 1
    mean, std = vae.encode(weights, cfg, images)
    decoded = vae.decode(weights, cfg, mean)
    unused = sorted(set(stored) - weights.used)
    assert not unused, f"vae: tensors the reference does not use: {unused}"
    for label, t in (("mean", mean), ("std", std), ("decoded", decoded)):
        assert torch.isfinite(t).all(), f"vae: {label} is not finite"
    assert decoded.shape == images.shape, f"vae: decoded {tuple(decoded.shape)} from images {tuple(images.shape)}"
    print(f"vae: {len(stored)} tensors, all used; latent {tuple(mean.shape)}, decoded {tuple(decoded.shape)}")


def main(checkpoint, io_file):
    torch.set_grad_enabled(False)
    check_transformer(checkpoint, io_file)
    check_vae(checkpoint)
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

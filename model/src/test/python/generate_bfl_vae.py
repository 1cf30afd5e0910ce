"""One random VAE in both checkpoint layouts, for BflVaeCheckpointTest:

  python3 model/src/test/python/generate_bfl_vae.py IN_DIR OUT_DIR

IN_DIR is a VAE component the JVM wrote (config.json + diffusion_pytorch_model.safetensors). Every
value is redrawn (vae_references.redraw), the plain-PyTorch reference (vae_reference.py) must use
every tensor, and OUT_DIR gets:

  vae/                  config.json + diffusion_pytorch_model.safetensors (diffusers names)
  ae.safetensors        the same weights in Black Forest Labs' names (flux/modules/autoencoder.py):
                        LDM module names, the decoder's levels by resolution (up.{i} = up_blocks.{n-1-i}),
                        the mid-block attention's q/k/v/proj_out as 1x1 convolutions [c, c, 1, 1]
  ae-missing.safetensors   ae.safetensors without decoder.mid.attn_1.q.weight
  ae-no-shortcut.safetensors   ae.safetensors without decoder.up.0.block.0.nin_shortcut.weight
                        (the 1x1 conv of the decoder's first block at full resolution, 64 -> 32 wide)
  decode.safetensors    latents and the reference's decode of them

The BFL names are produced here from BFL's module structure, independently of the Java mapping.
"""
import json
import os
import shutil
import sys

import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(__file__))
import vae_reference as ref  # noqa: E402
from vae_references import Tracking, redraw  # noqa: E402


def to_bfl(w, cfg):
    n = len(cfg["block_out_channels"])
    layers = cfg["layers_per_block"]
    b = {}

    def module(src, dst):
        for kind in (".weight", ".bias"):
            b[dst + kind] = w[src + kind]

    def resnet(src, dst):
        for part in ("norm1", "conv1", "norm2", "conv2"):
            module(f"{src}.{part}", f"{dst}.{part}")
        if src + ".conv_shortcut.weight" in w:
            module(src + ".conv_shortcut", dst + ".nin_shortcut")

    def mid(src, dst):
        resnet(src + ".resnets.0", dst + ".block_1")
        module(src + ".attentions.0.group_norm", dst + ".attn_1.norm")
        for linear, conv in (("to_q", "q"), ("to_k", "k"), ("to_v", "v"), ("to_out.0", "proj_out")):
            weight = w[f"{src}.attentions.0.{linear}.weight"]
            b[f"{dst}.attn_1.{conv}.weight"] = weight.reshape(*weight.shape, 1, 1)
            b[f"{dst}.attn_1.{conv}.bias"] = w[f"{src}.attentions.0.{linear}.bias"]
        resnet(src + ".resnets.1", dst + ".block_2")

    module("encoder.conv_in", "encoder.conv_in")
    for i in range(n):
        for j in range(layers):
            resnet(f"encoder.down_blocks.{i}.resnets.{j}", f"encoder.down.{i}.block.{j}")
        if i < n - 1:
            module(f"encoder.down_blocks.{i}.downsamplers.0.conv", f"encoder.down.{i}.downsample.conv")
    mid("encoder.mid_block", "encoder.mid")
    module("encoder.conv_norm_out", "encoder.norm_out")
    module("encoder.conv_out", "encoder.conv_out")
    module("decoder.conv_in", "decoder.conv_in")
    mid("decoder.mid_block", "decoder.mid")
    # BFL builds the decoder's levels from the lowest resolution up and inserts each at the front.
    for level in range(n):
        src = f"decoder.up_blocks.{n - 1 - level}"
        for j in range(layers + 1):
            resnet(f"{src}.resnets.{j}", f"decoder.up.{level}.block.{j}")
        if level != 0:
            module(f"{src}.upsamplers.0.conv", f"decoder.up.{level}.upsample.conv")
    module("decoder.conv_norm_out", "decoder.norm_out")
    module("decoder.conv_out", "decoder.conv_out")
    assert len(b) == len(w), f"{len(w)} diffusers tensors became {len(b)} BFL tensors"
    return b


def main(src, out):
    torch.set_grad_enabled(False)
    g = torch.Generator().manual_seed(13)
    with open(os.path.join(src, "config.json")) as f:
        cfg = json.load(f)
    weights = redraw(load_file(os.path.join(src, "diffusion_pytorch_model.safetensors")), g)
    latents = torch.randn(1, cfg["latent_channels"], 5, 4, generator=g)
    tracked = Tracking(weights)
    ref.encode(tracked, cfg, torch.rand(1, cfg["in_channels"], 8, 8, generator=g))
    decoded = ref.decode(tracked, cfg, latents)
    unused = sorted(set(weights) - tracked.used)
    assert not unused, f"{src}: tensors the architecture does not use: {unused}"

    vae = os.path.join(out, "vae")
    os.makedirs(vae, exist_ok=True)
    shutil.copy(os.path.join(src, "config.json"), os.path.join(vae, "config.json"))
    save_file({k: v.contiguous() for k, v in weights.items()}, os.path.join(vae, "diffusion_pytorch_model.safetensors"))
    bfl = {k: v.contiguous() for k, v in to_bfl(weights, cfg).items()}
    save_file(bfl, os.path.join(out, "ae.safetensors"))
    save_file({k: v for k, v in bfl.items() if k != "decoder.mid.attn_1.q.weight"}, os.path.join(out, "ae-missing.safetensors"))
    save_file({k: v for k, v in bfl.items() if k != "decoder.up.0.block.0.nin_shortcut.weight"},
              os.path.join(out, "ae-no-shortcut.safetensors"))
    save_file({"latents": latents, "decoded": decoded}, os.path.join(out, "decode.safetensors"))
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

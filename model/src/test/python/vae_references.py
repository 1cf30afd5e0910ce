"""References for the JVM's VAE from the plain-PyTorch AutoencoderKL in vae_reference.py:

  python3 model/src/test/python/vae_references.py IN_DIR OUT_DIR

IN_DIR is a VAE component the JVM wrote (config.json + diffusion_pytorch_model.safetensors, random
init). The reference must use every tensor in it (so the JVM's layout is the architecture's); then
every value is redrawn at random (norm scales and biases too, so each parameter matters) and written to
OUT_DIR as a diffusers component, with expected.safetensors beside OUT_DIR: for images of two shapes (one large enough
that the mid-block attention spans more than one 4,096-row query block) the posterior mean and std,
and the decoder's output for random latents.
"""
import json
import os
import shutil
import sys

import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(__file__))
import vae_reference as ref  # noqa: E402


class Tracking(dict):
    """A weight dict that remembers which names were read."""

    def __init__(self, values):
        super().__init__(values)
        self.used = set()

    def __getitem__(self, key):
        self.used.add(key)
        return super().__getitem__(key)


def redraw(stored, g):
    """Every value of a weight dict drawn anew: norm scales near 1, biases near 0, the rest scaled by fan-in."""
    weights = {}
    for name, value in stored.items():
        if value.dim() == 1:
            base = 1.0 if "norm" in name and name.endswith(".weight") else 0.0
            weights[name] = base + 0.1 * torch.randn(value.shape, generator=g)
        else:
            fan_in = value[0].numel()
            weights[name] = torch.randn(value.shape, generator=g) / fan_in ** 0.5
    return weights


def main(src, out):
    torch.set_grad_enabled(False)
    g = torch.Generator().manual_seed(77)
    with open(os.path.join(src, "config.json")) as f:
        cfg = json.load(f)
    weights = redraw(load_file(os.path.join(src, "diffusion_pytorch_model.safetensors")), g)

    down = 2 ** (len(cfg["block_out_channels"]) - 1)
    small = torch.rand(2, cfg["in_channels"], 10 * down, 8 * down, generator=g) * 2 - 1
    large = torch.rand(1, cfg["in_channels"], 66 * down, 66 * down, generator=g) * 2 - 1
    latents = torch.randn(2, cfg["latent_channels"], 6, 5, generator=g)
    large_latents = torch.randn(1, cfg["latent_channels"], 66, 66, generator=g)

    tracked = Tracking(weights)
    mean, std = ref.encode(tracked, cfg, small)
    large_mean, large_std = ref.encode(tracked, cfg, large)
    decoded = ref.decode(tracked, cfg, latents)
    large_decoded = ref.decode(tracked, cfg, large_latents)
    unused = sorted(set(weights) - tracked.used)
    assert not unused, f"{src}: tensors the architecture does not use: {unused}"

    os.makedirs(out, exist_ok=True)
    shutil.copy(os.path.join(src, "config.json"), os.path.join(out, "config.json"))
    save_file({k: v.contiguous() for k, v in weights.items()}, os.path.join(out, "diffusion_pytorch_model.safetensors"))
    expected = {"images": small, "mean": mean, "std": std, "large_images": large, "large_mean": large_mean, "large_std": large_std,
                "latents": latents, "decoded": decoded, "large_latents": large_latents, "large_decoded": large_decoded}
    save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(os.path.dirname(os.path.abspath(out)), "expected.safetensors"))
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

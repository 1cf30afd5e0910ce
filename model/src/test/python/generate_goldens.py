"""Regenerates model/src/test/resources/golden/*.safetensors for FluxGoldenTest.

Run from the repository root:  python3 model/src/test/python/generate_goldens.py
Needs torch and safetensors; the model itself is flux_reference.py beside the benchmark
(model/src/main/resources/dev/urae/model/bench/). The JVM test reads the files and never runs Python.
"""
import os
import sys

import torch
from safetensors.torch import save_file

# The reference model lives with the benchmark, which runs it as the PyTorch-eager baseline.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "main", "resources", "dev", "urae", "model", "bench"))
import flux_reference as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")


def main():
    torch.set_grad_enabled(False)
    c = ref.TINY
    g = torch.Generator().manual_seed(20250101)
    weights = ref.random_weights(c, g)

    batch, text_len, latent_h, latent_w = 2, 5, 8, 6
    channels = c.in_channels // 4
    latents = torch.randn(batch, channels, latent_h, latent_w, generator=g)
    packed = ref.pack(latents)
    txt = torch.randn(batch, text_len, c.joint_dim, generator=g)
    pooled = torch.randn(batch, c.pooled_dim, generator=g)
    sigma = torch.tensor([0.3, 0.85])
    guidance = torch.tensor([1.0, 3.5])

    grid_h, grid_w = latent_h // 2, latent_w // 2
    temb = ref.conditioning(weights, c, sigma, guidance, pooled)
    cos, sin = ref.rope(c, text_len, grid_h, grid_w)
    scale = ref.attention_scale(c, text_len + grid_h * grid_w, False)
    img_in = ref.linear(weights, "x_embedder", packed)
    txt_in = ref.linear(weights, "context_embedder", txt)
    img_out, txt_out = ref.double_block(weights, c, 0, img_in, txt_in, temb, cos, sin, scale)
    single_in = torch.cat([txt_out, img_out], 1)
    single_out = ref.single_block(weights, c, 0, single_in, temb, cos, sin, scale)
    out = ref.forward(weights, c, packed, txt, pooled, sigma, guidance, latent_h, latent_w)
    ntk_cos, ntk_sin = ref.rope(c, text_len, grid_h, grid_w, ntk=4.0)
    out_knobs = ref.forward(weights, c, packed, txt, pooled, sigma, guidance, latent_h, latent_w, ntk=4.0, proportional=True)

    io = {
        "latents": latents, "packed": packed, "txt": txt, "pooled": pooled, "sigma": sigma, "guidance": guidance,
        "timestep_proj": ref.timestep_proj(sigma * 1000), "temb": temb,
        "rope_cos": cos, "rope_sin": sin, "rope_ntk4_cos": ntk_cos, "rope_ntk4_sin": ntk_sin,
        "double_img_in": img_in, "double_txt_in": txt_in, "double_img_out": img_out, "double_txt_out": txt_out,
        "single_in": single_in, "single_out": single_out,
        "output": out, "output_ntk4_proportional": out_knobs,
    }
    os.makedirs(OUT, exist_ok=True)
    save_file({k: v.contiguous() for k, v in weights.items()}, os.path.join(OUT, "tiny_weights.safetensors"),
              metadata={"preset": "tiny", "generator": "generate_goldens.py"})
    save_file({k: v.float().contiguous() for k, v in io.items()}, os.path.join(OUT, "tiny_io.safetensors"),
              metadata={"latent_h": str(latent_h), "latent_w": str(latent_w), "text_len": str(text_len)})
    print("wrote", OUT)


if __name__ == "__main__":
    main()

"""Writes model/src/test/resources/bfl/ for FluxCheckpointTest: one tiny random FLUX transformer
in both checkpoint layouts, bf16, plus a forward pass computed by the plain-PyTorch reference.

  bfl/diffusers/transformer/   config.json + diffusion_pytorch_model.safetensors (diffusers names)
  bfl/flux1-tiny.safetensors   the same weights in Black Forest Labs' names: fused q/k/v
                               (img_attn.qkv, txt_attn.qkv), single blocks' linear1 = [q; k; v; mlp],
                               final_layer.adaLN_modulation.1 in (shift, scale) order
  bfl/schnell/transformer/     a schnell-shaped variant (guidance_embeds false), diffusers layout
  bfl/flux1-tiny-schnell.safetensors   the same in BFL names (no guidance_in)
  bfl/forward.safetensors      inputs and the reference output (weights upcast from bf16)

The BFL file is written here by concatenation, the inverse of the Java mapping, written
independently from BFL's module structure (flux/model.py, flux/modules/layers.py).

Run from the repository root:  python3 model/src/test/python/generate_bfl_fixture.py
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "main", "resources", "dev", "urae", "model", "bench"))
import flux_reference as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "bfl")


def to_bfl(w, c):
    b = {}

    def lin(src, dst):
        b[dst + ".weight"] = w[src + ".weight"]
        b[dst + ".bias"] = w[src + ".bias"]

    def fused(srcs, dst):
        b[dst + ".weight"] = torch.cat([w[s + ".weight"] for s in srcs], 0)
        b[dst + ".bias"] = torch.cat([w[s + ".bias"] for s in srcs], 0)

    lin("x_embedder", "img_in")
    lin("context_embedder", "txt_in")
    lin("time_text_embed.timestep_embedder.linear_1", "time_in.in_layer")
    lin("time_text_embed.timestep_embedder.linear_2", "time_in.out_layer")
    lin("time_text_embed.text_embedder.linear_1", "vector_in.in_layer")
    lin("time_text_embed.text_embedder.linear_2", "vector_in.out_layer")
    if c.guidance:
        lin("time_text_embed.guidance_embedder.linear_1", "guidance_in.in_layer")
        lin("time_text_embed.guidance_embedder.linear_2", "guidance_in.out_layer")
    for i in range(c.num_layers):
        p, q = f"transformer_blocks.{i}.", f"double_blocks.{i}."
        lin(p + "norm1.linear", q + "img_mod.lin")
        lin(p + "norm1_context.linear", q + "txt_mod.lin")
        fused([p + "attn.to_q", p + "attn.to_k", p + "attn.to_v"], q + "img_attn.qkv")
        fused([p + "attn.add_q_proj", p + "attn.add_k_proj", p + "attn.add_v_proj"], q + "txt_attn.qkv")
        b[q + "img_attn.norm.query_norm.scale"] = w[p + "attn.norm_q.weight"]
        b[q + "img_attn.norm.key_norm.scale"] = w[p + "attn.norm_k.weight"]
        b[q + "txt_attn.norm.query_norm.scale"] = w[p + "attn.norm_added_q.weight"]
        b[q + "txt_attn.norm.key_norm.scale"] = w[p + "attn.norm_added_k.weight"]
        lin(p + "attn.to_out.0", q + "img_attn.proj")
        lin(p + "attn.to_add_out", q + "txt_attn.proj")
        lin(p + "ff.net.0.proj", q + "img_mlp.0")
        lin(p + "ff.net.2", q + "img_mlp.2")
        lin(p + "ff_context.net.0.proj", q + "txt_mlp.0")
        lin(p + "ff_context.net.2", q + "txt_mlp.2")
    for i in range(c.num_single_layers):
        p, q = f"single_transformer_blocks.{i}.", f"single_blocks.{i}."
        fused([p + "attn.to_q", p + "attn.to_k", p + "attn.to_v", p + "proj_mlp"], q + "linear1")
        lin(p + "proj_out", q + "linear2")
        b[q + "norm.query_norm.scale"] = w[p + "attn.norm_q.weight"]
        b[q + "norm.key_norm.scale"] = w[p + "attn.norm_k.weight"]
        lin(p + "norm.linear", q + "modulation.lin")
    lin("proj_out", "final_layer.linear")
    # diffusers: (scale, shift); BFL: (shift, scale).
    for kind in ("weight", "bias"):
        scale, shift = w["norm_out.linear." + kind].chunk(2, dim=0)
        b["final_layer.adaLN_modulation.1." + kind] = torch.cat([shift, scale], 0)
    return {k: v.contiguous() for k, v in b.items()}


def config_json(c):
    return {"_class_name": "FluxTransformer2DModel", "_diffusers_version": "0.32.0", "patch_size": 1,
            "in_channels": c.in_channels, "out_channels": None, "num_layers": c.num_layers,
            "num_single_layers": c.num_single_layers, "attention_head_dim": c.head_dim,
            "num_attention_heads": c.heads, "joint_attention_dim": c.joint_dim,
            "pooled_projection_dim": c.pooled_dim, "guidance_embeds": c.guidance, "axes_dims_rope": list(c.axes)}


def write(c, weights, folder, bfl_file):
    bf16 = {k: v.to(torch.bfloat16) for k, v in weights.items()}
    transformer = os.path.join(OUT, folder, "transformer")
    os.makedirs(transformer, exist_ok=True)
    with open(os.path.join(transformer, "config.json"), "w") as f:
        json.dump(config_json(c), f, indent=2)
    save_file(bf16, os.path.join(transformer, "diffusion_pytorch_model.safetensors"), metadata={"format": "pt"})
    save_file(to_bfl(bf16, c), os.path.join(OUT, bfl_file), metadata={"format": "pt"})
    return {k: v.float() for k, v in bf16.items()}


def main():
    torch.set_grad_enabled(False)
    g = torch.Generator().manual_seed(1313)
    c = ref.TINY
    weights = write(c, ref.random_weights(c, g), "diffusers", "flux1-tiny.safetensors")
    schnell = ref.Config(16, 2, 2, 16, 2, 24, 20, False, (4, 6, 6))
    write(schnell, ref.random_weights(schnell, g), "schnell", "flux1-tiny-schnell.safetensors")

    batch, text_len, latent_h, latent_w = 1, 3, 4, 6
    packed = ref.pack(torch.randn(batch, c.in_channels // 4, latent_h, latent_w, generator=g))
    txt = torch.randn(batch, text_len, c.joint_dim, generator=g)
    pooled = torch.randn(batch, c.pooled_dim, generator=g)
    sigma = torch.tensor([0.6])
    guidance = torch.tensor([3.5])
    out = ref.forward(weights, c, packed, txt, pooled, sigma, guidance, latent_h, latent_w)
    save_file({"packed": packed, "txt": txt, "pooled": pooled, "sigma": sigma, "guidance": guidance, "out": out.contiguous()},
              os.path.join(OUT, "forward.safetensors"))
    print("wrote", OUT)


if __name__ == "__main__":
    main()

"""Renders a prompt on a diffusers FLUX checkpoint as diffusers' FluxPipeline does, from the JVM's noise:

  python3 model/src/test/python/render_reference.py CHECKPOINT IO_FILE

IO_FILE (written by the JVM) holds `noise` [1, C, H/f, W/f] and the JVM's render `jvm_image` [3, H, W]
(8-bit values mapped to [-1, 1]); metadata: prompt, steps, guidance, shift (static), width, height.
Text: transformers' tokenizers (padding="max_length", truncation) and CLIPTextModel (pooled) /
T5EncoderModel (last hidden state) over 77 and 512 tokens (256 without a guidance embedder);
sampling: sigmas linspace(1, 1/N, N) statically shifted, then 0, Euler steps x += (s' - s) v with
flux_reference.forward; VAE: vae_reference.decode of z / scaling_factor + shift_factor, clamped,
quantised like the JVM. Asserts the two images differ by at most one 8-bit level anywhere and
prints the figures, then "ok".
"""
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
from init_references import component  # noqa: E402


def text(checkpoint, prompt, t5_tokens):
    from transformers import AutoTokenizer, CLIPTextModel, T5EncoderModel
    clip_tok = AutoTokenizer.from_pretrained(os.path.join(checkpoint, "tokenizer"))
    t5_tok = AutoTokenizer.from_pretrained(os.path.join(checkpoint, "tokenizer_2"))
    clip = CLIPTextModel.from_pretrained(os.path.join(checkpoint, "text_encoder"), torch_dtype=torch.float32)
    t5 = T5EncoderModel.from_pretrained(os.path.join(checkpoint, "text_encoder_2"), torch_dtype=torch.float32)
    clip_ids = clip_tok([prompt], padding="max_length", max_length=77, truncation=True, return_tensors="pt").input_ids
    t5_ids = t5_tok([prompt], padding="max_length", max_length=t5_tokens, truncation=True, return_tensors="pt").input_ids
    return t5(input_ids=t5_ids).last_hidden_state, clip(input_ids=clip_ids).pooler_output


def unpack(packed, h, w):
    b, _, ch4 = packed.shape
    c = ch4 // 4
    return packed.view(b, h // 2, w // 2, c, 2, 2).permute(0, 3, 1, 4, 2, 5).reshape(b, c, h, w)


def main(checkpoint, io_file):
    torch.set_grad_enabled(False)
    io = load_file(io_file)
    with safe_open(io_file, "pt") as f:
        meta = f.metadata()
    tcfg, tw = component(checkpoint, "transformer")
    c = flux.Config(tcfg["in_channels"], tcfg["num_layers"], tcfg["num_single_layers"], tcfg["attention_head_dim"],
                    tcfg["num_attention_heads"], tcfg["joint_attention_dim"], tcfg["pooled_projection_dim"],
                    tcfg["guidance_embeds"], tuple(tcfg["axes_dims_rope"]), tcfg.get("rope_theta", 10000.0))
    tw = {n: t.float() for n, t in tw.items()}
    vcfg, vw = component(checkpoint, "vae")
    vw = {n: t.float() for n, t in vw.items()}

    txt, pooled = text(checkpoint, meta["prompt"], 512 if tcfg["guidance_embeds"] else 256)
    steps, s = int(meta["steps"]), float(meta["shift"])
    linear = [1.0 + (1.0 / steps - 1.0) * i / (steps - 1) for i in range(steps)] if steps > 1 else [1.0]
    sigmas = [s * x / (1 + (s - 1) * x) for x in linear] + [0.0]
    noise = io["noise"]
    h, w = noise.shape[2], noise.shape[3]
    guidance = torch.tensor([float(meta["guidance"])]) if tcfg["guidance_embeds"] else None
    x = flux.pack(noise)
    for sigma, following in zip(sigmas[:-1], sigmas[1:]):
        v = flux.forward(tw, c, x, txt, pooled, torch.tensor([sigma]), guidance, h, w)
        x = x + (following - sigma) * v
    z = unpack(x, h, w) / vcfg["scaling_factor"] + vcfg["shift_factor"]
    image = vae.decode(vw, vcfg, z).clamp(-1, 1)[0]
    levels = torch.round((image + 1) * 127.5).clamp(0, 255)
    jvm = torch.round((io["jvm_image"] + 1) * 127.5)
    diff = (levels - jvm).abs()
    print(f"render {meta['width']}x{meta['height']}, {steps} steps: max 8-bit difference {diff.max().item():.0f}, "
          f"pixels differing {(diff > 0).float().mean().item():.2%}, image std {image.std().item():.3f}")
    assert image.std().item() > 0 and math.isfinite(image.std().item()), "reference render is degenerate"
    assert diff.max().item() <= 1, f"JVM render differs from the reference by {diff.max().item():.0f} levels"
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

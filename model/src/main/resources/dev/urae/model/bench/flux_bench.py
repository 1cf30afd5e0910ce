"""PyTorch-eager side of `urae bench model`: the same FLUX computation as the JVM side
(flux_reference.py), timed the same way. Prints one JSON object per line.

usage: python3 flux_bench.py PRESET LATENT_H LATENT_W TEXT_LEN SECONDS THREADS [manual|sdpa]
"manual" computes attention as matmul-softmax-matmul, exactly like the JVM side; "sdpa" uses
PyTorch's fused scaled_dot_product_attention.
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
import flux_reference as ref  # noqa: E402

LORA_RANK = 4
TARGETS_DOUBLE = ("attn.to_q", "attn.to_k", "attn.to_v", "attn.to_out.0")
TARGETS_SINGLE = ("attn.to_q", "attn.to_k", "attn.to_v")


def lora_weights(c, weights, generator):
    """Rank-4 pairs on the URAE targets, B non-zero so gradients flow to both factors."""
    pairs = {}
    names = [f"transformer_blocks.{i}.{t}" for i in range(c.num_layers) for t in TARGETS_DOUBLE]
    names += [f"single_transformer_blocks.{i}.{t}" for i in range(c.num_single_layers) for t in TARGETS_SINGLE]
    for n in names:
        out_f, in_f = weights[n + ".weight"].shape
        a = (torch.randn(LORA_RANK, in_f, generator=generator) / LORA_RANK).requires_grad_()
        b = (torch.randn(out_f, LORA_RANK, generator=generator) * 0.01).requires_grad_()
        pairs[n] = (a, b)
    return pairs


def main():
    preset, h, w, text_len, seconds, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    attention = sys.argv[7] if len(sys.argv) > 7 else "manual"
    torch.set_num_threads(threads)
    if attention == "manual":
        ref.sdpa = lambda q, k, v, scale: ((q * scale) @ k.transpose(-1, -2)).softmax(-1) @ v
    c = {"tiny": ref.TINY, "demo": ref.DEMO}[preset]
    g = torch.Generator().manual_seed(0)
    weights = ref.random_weights(c, g)
    pairs = lora_weights(c, weights, g)
    base_linear = ref.linear

    def adapted_linear(wts, name, x):
        y = base_linear(wts, name, x)
        if name in pairs:
            a, b = pairs[name]
            y = y + (x @ a.t()) @ b.t()
        return y

    ref.linear = adapted_linear
    packed = torch.randn(1, (h // 2) * (w // 2), c.in_channels, generator=g)
    txt = torch.randn(1, text_len, c.joint_dim, generator=g)
    pooled = torch.randn(1, c.pooled_dim, generator=g)
    sigma = torch.tensor([0.5])
    guidance = torch.tensor([1.0])
    target = torch.randn_like(packed)

    def forward():
        with torch.no_grad():
            ref.forward(weights, c, packed, txt, pooled, sigma, guidance, h, w)

    def train_step():
        out = ref.forward(weights, c, packed, txt, pooled, sigma, guidance, h, w)
        loss = ((out - target) ** 2).mean()
        loss.backward()
        for a, b in pairs.values():
            a.grad = None
            b.grad = None

    for name, fn in (("forward", forward), ("forward_backward", train_step)):
        for _ in range(3):
            fn()
        wall = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline or len(wall) < 5:
            t0 = time.perf_counter()
            fn()
            wall.append(time.perf_counter() - t0)
        wall.sort()
        print(json.dumps({"phase": name, "min_ms": 1000 * wall[0], "median_ms": 1000 * wall[len(wall) // 2],
                          "steps": len(wall)}), flush=True)


if __name__ == "__main__":
    main()

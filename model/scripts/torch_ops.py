"""Writes the TorchScript modules that give the JVM PyTorch operators DJL 0.36 does not expose.

    python3 model/scripts/torch_ops.py

writes fused-attention.pt and biased-attention.pt into model/src/main/resources/dev/urae/model/nn/
and t5-block.pt into model/src/main/resources/dev/urae/model/text/t5/. The product never runs
Python: the modules are committed resources, loaded through DJL's PyTorch engine (2.7.1) by
dev.urae.model.nn.ScriptedModule. Keep every op here in the TorchScript subset that 2.7.1 reads
(FusedAttentionTest and T5EncoderTest load the committed files and compare them with the
operator-by-operator paths).
"""
import os
import sys

import torch
import torch.nn.functional as F


class FusedAttention(torch.nn.Module):
    """Softmax attention on FLUX's layout, through PyTorch's scaled_dot_product_attention.

    qk: [B, N, 2, H, D] roped queries and keys, the softmax scale already folded into the
    queries; v: [B, N, H, D]. Returns [B, N, H*D]. The fused kernel (flash attention on CPU,
    flash or memory-efficient on CUDA) never materialises the N x N scores, in the forward pass
    or the backward pass.
    """

    def forward(self, qk: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        b, n, _, h, d = qk.shape
        heads = qk.permute(2, 0, 3, 1, 4)  # [2, B, H, N, D]
        out = F.scaled_dot_product_attention(heads[0], heads[1], v.transpose(1, 2), scale=1.0)
        return out.transpose(1, 2).reshape(b, n, h * d)


class BiasedAttention(torch.nn.Module):
    """Unscaled softmax attention with an additive score bias, as T5 computes it.

    q, k, v: [B, N, H, D] (T5 folds 1/sqrt(D) into its weights, so no scale is applied here);
    bias: [1 or B, H, N, N], added to the scores before the softmax (T5's relative-position
    bias), passed as scaled_dot_product_attention's float mask. Returns [B, N, H*D].
    """

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, n, h, d = q.shape
        out = F.scaled_dot_product_attention(
            q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), attn_mask=bias, scale=1.0)
        return out.transpose(1, 2).reshape(b, n, h * d)


class T5Block(torch.nn.Module):
    """One T5 v1.1 encoder block as transformers' T5Block computes it, in one call.

    x: [B, N, d_model]; bias: [1 or B, H, N, N], the relative-position bias every layer adds;
    eps: the RMS norms' epsilon as a 0-d tensor; then the block's weights in transformers'
    order (layer_norm, q, k, v, o, layer_norm, wi_0, wi_1, wo; no biases). Pre-norm
    self-attention, unscaled (T5 folds 1/sqrt(d) into its weights), and a gated tanh-GELU
    feed-forward, each added to the residual. Returns [B, N, d_model].

    Why one module: run op by op from the JVM, every intermediate is a fresh allocation that
    lives until its manager closes; inside one scripted call PyTorch frees and reuses each at
    once, as it does in Python.
    """

    def forward(self, x: torch.Tensor, bias: torch.Tensor, eps: torch.Tensor,
                norm0: torch.Tensor, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, o: torch.Tensor,
                norm1: torch.Tensor, wi0: torch.Tensor, wi1: torch.Tensor, wo: torch.Tensor) -> torch.Tensor:
        b, n, _ = x.shape
        heads = bias.shape[1]
        h = rms_norm(x, norm0, eps)
        qh = F.linear(h, q).view(b, n, heads, -1).transpose(1, 2)
        kh = F.linear(h, k).view(b, n, heads, -1).transpose(1, 2)
        vh = F.linear(h, v).view(b, n, heads, -1).transpose(1, 2)
        a = F.scaled_dot_product_attention(qh, kh, vh, attn_mask=bias, scale=1.0)
        x = x + F.linear(a.transpose(1, 2).reshape(b, n, -1), o)
        h = rms_norm(x, norm1, eps)
        return x + F.linear(F.gelu(F.linear(h, wi0), approximate="tanh") * F.linear(h, wi1), wo)


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """T5's layer norm: x / sqrt(mean(x^2) + eps) * weight, no mean subtracted, no bias."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    resources = os.path.normpath(os.path.join(here, "..", "src", "main", "resources", "dev", "urae", "model"))
    for name, module in (("nn/fused-attention.pt", FusedAttention()), ("nn/biased-attention.pt", BiasedAttention()),
                         ("text/t5/t5-block.pt", T5Block())):
        target = os.path.join(resources, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        torch.jit.script(module).save(target)
        print("wrote", target, "with torch", torch.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()

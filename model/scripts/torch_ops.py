"""Writes the TorchScript modules that give the JVM PyTorch operators DJL 0.36 does not expose.

    python3 model/scripts/torch_ops.py

writes fused-attention.pt, fused-attention-bf16.pt, biased-attention.pt, biased-attention-bf16.pt, stored-dtype-linear.pt, gelu-tanh.pt and to-bfloat16.pt into model/src/main/resources/dev/urae/model/nn/
t5-block.pt into model/src/main/resources/dev/urae/model/text/t5/, and smallest-triplets.pt and
minor-residual.pt into model/src/main/resources/dev/urae/model/svd/. The product never runs
Python: the modules are committed resources, loaded through DJL's PyTorch engine (2.7.1) by
dev.urae.model.nn.ScriptedModule. Keep every op here in the TorchScript subset that 2.7.1 reads
(FusedAttentionTest and T5EncoderTest load the committed files and compare them with the
operator-by-operator paths).
"""
import os
import sys

from typing import List

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


class FusedAttentionBf16(torch.nn.Module):
    """FusedAttention computed in bfloat16 (bf16 mixed precision's attention).

    qk, v: float32 in FusedAttention's layout. Both are cast to bfloat16, the fused kernel runs
    in bfloat16 (on a GPU that is the dtype flash attention needs; in float32 PyTorch falls back
    to slower kernels) and keeps its q, k, v and output for the backward pass in bfloat16, and
    the result comes back as float32 [B, N, H*D]. The casts are differentiable: the gradients of
    qk and v come back as float32.
    """

    def forward(self, qk: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        b, n, _, h, d = qk.shape
        heads = qk.to(torch.bfloat16).permute(2, 0, 3, 1, 4)  # [2, B, H, N, D]
        values = v.to(torch.bfloat16).transpose(1, 2)
        out = F.scaled_dot_product_attention(heads[0], heads[1], values, scale=1.0)
        return out.transpose(1, 2).reshape(b, n, h * d).float()


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


class BiasedAttentionBf16(torch.nn.Module):
    """BiasedAttention computed in bfloat16: float32 q, k, v and bias in, float32 [B, N, H*D] out."""

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, n, h, d = q.shape
        out = F.scaled_dot_product_attention(
            q.to(torch.bfloat16).transpose(1, 2), k.to(torch.bfloat16).transpose(1, 2), v.to(torch.bfloat16).transpose(1, 2),
            attn_mask=bias.to(torch.bfloat16), scale=1.0)
        return out.transpose(1, 2).reshape(b, n, h * d).float()


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


class SmallestTriplets(torch.nn.Module):
    """The r smallest singular triplets of a weight, for minor-component adapters.

    w: [out, in] in any float dtype (decomposed in float32); rank: a 0-d integer tensor.
    Returns U[:, -r:] [out, r], S[-r:] [r], Vh[-r:, :] [r, in] in float32, singular values in
    descending order as torch.linalg.svd gives them. Runs where w lives (cuSOLVER on a GPU), so
    the weight never travels to the JVM's heap and only the r triplets come back.
    """

    def forward(self, w: torch.Tensor, rank: torch.Tensor) -> List[torch.Tensor]:
        r = int(rank.item())
        u, s, vh = torch.linalg.svd(w.float(), full_matrices=False)
        k = s.shape[0]
        return [u[:, k - r:].contiguous(), s[k - r:].contiguous(), vh[k - r:, :].contiguous()]


class StoredDTypeLinear(torch.nn.Module):
    """A frozen linear layer computed in its weight's stored dtype (bf16 mixed precision).

    x: [..., in] float32 activations; w: [out, in] as stored (bf16); b: [out] as stored, or an
    empty tensor for no bias. The input is cast to w's dtype, the product runs in that dtype, and
    the output comes back as float32, so norms, attention and the loss stay in float32. Autograd
    keeps w itself (no float32 copy of the weight) and sends a float32 gradient to x.
    """

    def forward(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        if b.numel() == 0:
            return F.linear(x.to(w.dtype), w).float()
        return F.linear(x.to(w.dtype), w, b.to(w.dtype)).float()


class GeluTanh(torch.nn.Module):
    """GELU with the tanh approximation, PyTorch's fused kernel.

    x: any float tensor. One operator keeps only its input for the backward pass; written op by
    op from the JVM the same function keeps five intermediates of x's size alive (square, scale,
    product, sigmoid, result) and autograd saves three of them.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.gelu(x, approximate="tanh")


class ToBFloat16(torch.nn.Module):
    """x cast to bfloat16 (DJL 0.36 kills the JVM when Java casts to it).

    Stores a checkpointed block input at half the bytes of float32; DJL's toType brings it back
    to float32. Differentiable: the gradient comes back as x's dtype.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


class MinorResidual(torch.nn.Module):
    """W - b0 @ a0 in W's own dtype (the frozen weight of a minor-component layer).

    The product is computed in float32 and freed inside the call: it never outlives it, and a
    bf16 weight stays bf16.
    """

    def forward(self, w: torch.Tensor, b0: torch.Tensor, a0: torch.Tensor) -> torch.Tensor:
        return (w.float() - b0 @ a0).to(w.dtype)


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """T5's layer norm: x / sqrt(mean(x^2) + eps) * weight, no mean subtracted, no bias."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    resources = os.path.normpath(os.path.join(here, "..", "src", "main", "resources", "dev", "urae", "model"))
    for name, module in (("nn/fused-attention.pt", FusedAttention()),
                         ("nn/fused-attention-bf16.pt", FusedAttentionBf16()), ("nn/biased-attention.pt", BiasedAttention()),
                         ("nn/biased-attention-bf16.pt", BiasedAttentionBf16()),
                         ("text/t5/t5-block.pt", T5Block()), ("svd/smallest-triplets.pt", SmallestTriplets()),
                         ("svd/minor-residual.pt", MinorResidual()), ("nn/stored-dtype-linear.pt", StoredDTypeLinear()),
                         ("nn/gelu-tanh.pt", GeluTanh()), ("nn/to-bfloat16.pt", ToBFloat16())):
        target = os.path.join(resources, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        torch.jit.script(module).save(target)
        print("wrote", target, "with torch", torch.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()

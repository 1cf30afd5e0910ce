"""Writes the TorchScript modules that give the JVM PyTorch operators DJL 0.36 does not expose.

    python3 model/scripts/torch_ops.py

writes fused-attention.pt and biased-attention.pt into model/src/main/resources/dev/urae/model/nn/.
The product never runs Python: the modules are committed resources, loaded by
dev.urae.model.nn.FusedAttention through DJL's PyTorch engine (2.7.1). Keep every op here in the
TorchScript subset that 2.7.1 reads (FusedAttentionTest loads the committed files in CI and
compares them with the explicit path).
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


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.path.normpath(os.path.join(here, "..", "src", "main", "resources", "dev", "urae", "model", "nn"))
    for name, module in (("fused-attention.pt", FusedAttention()), ("biased-attention.pt", BiasedAttention())):
        target = os.path.join(folder, name)
        torch.jit.script(module).save(target)
        print("wrote", target, "with torch", torch.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()

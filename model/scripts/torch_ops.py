"""Writes the TorchScript modules that give the JVM PyTorch operators DJL 0.36 does not expose.

    python3 model/scripts/torch_ops.py

writes model/src/main/resources/dev/urae/model/nn/fused-attention.pt. The product never runs
Python: the module is a committed resource, loaded by dev.urae.model.nn.FusedAttention through
DJL's PyTorch engine (2.7.1). Keep every op here in the TorchScript subset that 2.7.1 reads
(FusedAttentionTest loads the committed file in CI and compares it with the explicit path).
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


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "src", "main", "resources", "dev", "urae", "model", "nn", "fused-attention.pt")
    module = torch.jit.script(FusedAttention())
    module.save(os.path.normpath(target))
    print("wrote", os.path.normpath(target), "with torch", torch.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()

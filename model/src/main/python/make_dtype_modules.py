"""Writes the two TorchScript modules the checkpoint loader uses for bfloat16.

DJL 0.36 cannot create or cast to BFLOAT16 from Java (the JVM dies), so the loader hands the
stored bytes to PyTorch as a float16 tensor of the same width and lets a scripted
``torch.view_copy(x, dtype=torch.bfloat16)`` reinterpret them: one copy, no conversion, no
Java heap. ``x.view(torch.bfloat16)`` cannot be used: TorchScript resolves it to the
``view(size)`` overload (``view(x, [15])``); ``view_copy`` with the keyword keeps the dtype
overload, and the saved module loads and runs in DJL's PyTorch 2.7.1.

Run from the repository root (needs torch):  python3 model/src/main/python/make_dtype_modules.py
"""
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "dev" / "urae" / "model" / "checkpoint"


class Bf16FromBits(torch.nn.Module):
    """float16-typed bytes -> the bfloat16 tensor they encode (a copy, on the input's device)."""

    def forward(self, bits: torch.Tensor) -> torch.Tensor:
        return torch.view_copy(bits, dtype=torch.bfloat16)


class IsBf16(torch.nn.Module):
    """A one-element bool tensor: whether x is bfloat16 (DJL reports bfloat16 as 'unknown')."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tensor([x.dtype == torch.bfloat16])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    bits = torch.tensor([1.0, -2.5, 3.0e38, 1.0e-39], dtype=torch.bfloat16).view(torch.float16)
    converter = torch.jit.script(Bf16FromBits())
    assert converter(bits).tolist() == torch.tensor([1.0, -2.5, 3.0e38, 1.0e-39], dtype=torch.bfloat16).tolist()
    converter.save(str(OUT / "bf16_from_bits.pt"))
    torch.jit.script(IsBf16()).save(str(OUT / "is_bf16.pt"))
    print("wrote", OUT / "bf16_from_bits.pt", "and", OUT / "is_bf16.pt")


if __name__ == "__main__":
    main()

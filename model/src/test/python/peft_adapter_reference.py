"""Loads a diffusers LoRA, as the adapt stage exports it, with peft onto a checkpoint's transformer in
flux_reference.py, and compares the adapted forward pass with the JVM's:

  python3 model/src/test/python/peft_adapter_reference.py CHECKPOINT LORA IO_FILE

The LoRA is loaded the way diffusers loads one into a FLUX transformer: the `transformer.` prefix
stripped, a peft LoraConfig from the file's `lora_adapter_metadata`, `inject_adapter_in_model` and
`set_peft_model_state_dict` onto torch Linear layers holding the checkpoint's weights. The reference's
forward pass then runs every adapted layer through its peft module. IO_FILE holds the inputs (packed,
txt, pooled, sigma, guidance; metadata latent_h, latent_w) and the JVM's adapted `output`, which must
agree within 1e-4 of the output's largest magnitude, while the adapter must move the output by far
more than that. Prints the figures, then "ok".
"""
import json
import os
import sys

import torch
from peft import LoraConfig, inject_adapter_in_model, set_peft_model_state_dict
from safetensors import safe_open
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from init_references import RELATIVE_TOLERANCE, component, flux, reference_config  # noqa: E402

PREFIX = "transformer."


def peft_layers(weights, lora_path):
    """The checkpoint's Linear layers the LoRA targets, with the LoRA loaded by peft, by module name."""
    with safe_open(lora_path, "pt") as f:
        adapter = json.loads(f.metadata()["lora_adapter_metadata"])
    lora = load_file(lora_path)
    outside = [k for k in lora if not k.startswith(PREFIX)]
    assert not outside, f"keys outside {PREFIX}: {outside}"
    names = sorted({k[len(PREFIX):-len(".lora_A.weight")] for k in lora if k.endswith(".lora_A.weight")})
    root = torch.nn.Module()
    for name in names:
        w, b = weights[name + ".weight"], weights.get(name + ".bias")
        layer = torch.nn.Linear(w.shape[1], w.shape[0], bias=b is not None)
        with torch.no_grad():
            layer.weight.copy_(w)
            if b is not None:
                layer.bias.copy_(b)
        parent = root
        for part in name.split(".")[:-1]:
            if part not in parent._modules:
                parent.add_module(part, torch.nn.Module())
            parent = parent._modules[part]
        parent.add_module(name.split(".")[-1], layer)
    config = LoraConfig(r=adapter["r"], lora_alpha=adapter["lora_alpha"], target_modules=adapter["target_modules"])
    root = inject_adapter_in_model(config, root)
    result = set_peft_model_state_dict(root, {k[len(PREFIX):]: v.float() for k, v in lora.items()})
    assert not result.unexpected_keys, f"peft did not use {result.unexpected_keys}"
    layers = {name: root.get_submodule(name) for name in names}
    unadapted = [name for name, layer in layers.items() if not hasattr(layer, "base_layer")]
    assert not unadapted, f"peft left these layers without the adapter: {unadapted}"
    return layers


def main(checkpoint, lora_path, io_file):
    torch.set_grad_enabled(False)
    cfg, stored = component(checkpoint, "transformer")
    c = reference_config(cfg)
    weights = {n: t.float() for n, t in stored.items()}
    layers = peft_layers(weights, lora_path)

    io = load_file(io_file)
    with safe_open(io_file, "pt") as f:
        meta = f.metadata()
    inputs = (io["packed"], io["txt"], io["pooled"], io["sigma"], io["guidance"], int(meta["latent_h"]), int(meta["latent_w"]))
    base = flux.forward(weights, c, *inputs)
    plain = flux.linear
    flux.linear = lambda w, name, x: layers[name](x) if name in layers else plain(w, name, x)
    adapted = flux.forward(weights, c, *inputs)
    flux.linear = plain

    jvm = io["output"]
    scale = adapted.abs().max().item()
    diff = (adapted - jvm).abs().max().item()
    effect = (adapted - base).abs().max().item()
    print(f"peft: {len(layers)} adapted layers; adapted forward max |ref - jvm| = {diff:.3e}, "
          f"max |ref| = {scale:.3e}, max |adapted - base| = {effect:.3e}")
    assert diff <= RELATIVE_TOLERANCE * scale, f"adapted output differs by {diff:.3e} > {RELATIVE_TOLERANCE} x {scale:.3e}"
    assert effect > 100 * RELATIVE_TOLERANCE * scale, f"the adapter hardly changes the output ({effect:.3e}): nothing was compared"
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])

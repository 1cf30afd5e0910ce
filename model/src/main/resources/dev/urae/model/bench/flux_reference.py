"""A from-the-equations FLUX transformer in plain PyTorch (no diffusers), parameter names as in
diffusers' FluxTransformer2DModel. Used to generate the golden fixtures of the JVM tests
(model/src/test/python/generate_goldens.py) and as the PyTorch-eager side of `urae bench model`
(flux_bench.py).
"""
import math

import torch
import torch.nn.functional as F


class Config:
    def __init__(self, in_channels, num_layers, num_single_layers, head_dim, heads,
                 joint_dim, pooled_dim, guidance, axes, theta=10000.0, mlp_ratio=4):
        self.in_channels = in_channels
        self.out_channels = in_channels
        self.num_layers = num_layers
        self.num_single_layers = num_single_layers
        self.head_dim = head_dim
        self.heads = heads
        self.inner = head_dim * heads
        self.joint_dim = joint_dim
        self.pooled_dim = pooled_dim
        self.guidance = guidance
        self.axes = axes
        self.theta = theta
        self.mlp = self.inner * mlp_ratio


TINY = Config(16, 2, 2, 16, 2, 24, 20, True, (4, 6, 6))
DEMO = Config(12, 2, 2, 32, 4, 64, 64, True, (8, 12, 12), theta=36.0)  # FluxPresets.DEMO


def layout(c):
    """(name, shape) of every parameter, in the order of FluxLayout.java."""
    d, hd, mlp = c.inner, c.head_dim, c.mlp
    out = []

    def lin(name, i, o):
        out.append((name + ".weight", (o, i)))
        out.append((name + ".bias", (o,)))

    def rms(name):
        out.append((name + ".weight", (hd,)))

    lin("time_text_embed.timestep_embedder.linear_1", 256, d)
    lin("time_text_embed.timestep_embedder.linear_2", d, d)
    if c.guidance:
        lin("time_text_embed.guidance_embedder.linear_1", 256, d)
        lin("time_text_embed.guidance_embedder.linear_2", d, d)
    lin("time_text_embed.text_embedder.linear_1", c.pooled_dim, d)
    lin("time_text_embed.text_embedder.linear_2", d, d)
    lin("context_embedder", c.joint_dim, d)
    lin("x_embedder", c.in_channels, d)
    for i in range(c.num_layers):
        p = f"transformer_blocks.{i}."
        lin(p + "norm1.linear", d, 6 * d)
        lin(p + "norm1_context.linear", d, 6 * d)
        rms(p + "attn.norm_q"); rms(p + "attn.norm_k")
        lin(p + "attn.to_q", d, d); lin(p + "attn.to_k", d, d); lin(p + "attn.to_v", d, d)
        rms(p + "attn.norm_added_q"); rms(p + "attn.norm_added_k")
        lin(p + "attn.add_q_proj", d, d); lin(p + "attn.add_k_proj", d, d); lin(p + "attn.add_v_proj", d, d)
        lin(p + "attn.to_out.0", d, d); lin(p + "attn.to_add_out", d, d)
        lin(p + "ff.net.0.proj", d, mlp); lin(p + "ff.net.2", mlp, d)
        lin(p + "ff_context.net.0.proj", d, mlp); lin(p + "ff_context.net.2", mlp, d)
    for i in range(c.num_single_layers):
        p = f"single_transformer_blocks.{i}."
        lin(p + "norm.linear", d, 3 * d)
        lin(p + "proj_mlp", d, mlp)
        lin(p + "proj_out", d + mlp, d)
        rms(p + "attn.norm_q"); rms(p + "attn.norm_k")
        lin(p + "attn.to_q", d, d); lin(p + "attn.to_k", d, d); lin(p + "attn.to_v", d, d)
    lin("norm_out.linear", d, 2 * d)
    lin("proj_out", d, c.out_channels)
    return out


def random_weights(c, generator):
    """Linear weights ~ U(-1/sqrt(in), 1/sqrt(in)); RMSNorm scales 1 + 0.1·N(0,1)."""
    w = {}
    for name, shape in layout(c):
        if len(shape) == 1 and ("norm_q" in name or "norm_k" in name or "norm_added" in name):
            w[name] = 1 + 0.1 * torch.randn(shape, generator=generator)
        else:
            fan_in = shape[1] if len(shape) == 2 else None
            if fan_in is None:  # bias: same bound as its weight
                fan_in = dict(layout(c))[name[:-len("bias")] + "weight"][1]
            bound = 1 / math.sqrt(fan_in)
            w[name] = (torch.rand(shape, generator=generator) * 2 - 1) * bound
    return w


def linear(w, name, x):
    return F.linear(x, w[name + ".weight"], w[name + ".bias"])


def timestep_proj(t, dim=256):
    """Sinusoidal embedding of t (already ×1000), cos first (flip_sin_to_cos), shift 0."""
    half = dim // 2
    exponent = -math.log(10000) * torch.arange(0, half, dtype=torch.float32) / half
    args = t[:, None].float() * torch.exp(exponent)[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


def mlp_embed(w, prefix, x):
    return linear(w, prefix + ".linear_2", F.silu(linear(w, prefix + ".linear_1", x)))


def conditioning(w, c, sigma, guidance, pooled):
    vec = mlp_embed(w, "time_text_embed.timestep_embedder", timestep_proj(sigma * 1000))
    if c.guidance:
        vec = vec + mlp_embed(w, "time_text_embed.guidance_embedder", timestep_proj(guidance * 1000))
    return vec + mlp_embed(w, "time_text_embed.text_embedder", pooled)


def rope(c, text_len, grid_h, grid_w, ntk=1.0):
    """cos, sin [N, head_dim] (pairs repeated) for ids (0,0,0) x text_len then (0, r, c)."""
    ids = torch.zeros(text_len + grid_h * grid_w, 3, dtype=torch.float64)
    rows = torch.arange(grid_h, dtype=torch.float64)[:, None].expand(grid_h, grid_w).reshape(-1)
    cols = torch.arange(grid_w, dtype=torch.float64)[None, :].expand(grid_h, grid_w).reshape(-1)
    ids[text_len:, 1] = rows
    ids[text_len:, 2] = cols
    cos, sin = [], []
    for i, dim in enumerate(c.axes):
        freqs = 1.0 / ((c.theta * ntk) ** (torch.arange(0, dim, 2, dtype=torch.float64)[: dim // 2] / dim))
        angles = torch.outer(ids[:, i], freqs)
        cos.append(angles.cos().repeat_interleave(2, dim=1))
        sin.append(angles.sin().repeat_interleave(2, dim=1))
    return torch.cat(cos, -1).float(), torch.cat(sin, -1).float()


def apply_rope(x, cos, sin):
    """x [B, H, N, D]: x·cos + rotate(x)·sin with rotate(x)[2j] = -x[2j+1], rotate(x)[2j+1] = x[2j]."""
    real, imag = x.reshape(*x.shape[:-1], -1, 2).unbind(-1)
    rotated = torch.stack([-imag, real], dim=-1).flatten(3)
    return x * cos + rotated * sin


def rms_norm(x, weight, eps=1e-6):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def heads(x, c):
    b, n, _ = x.shape
    return x.view(b, n, c.heads, c.head_dim).transpose(1, 2)


def attention_scale(c, n, proportional, train_seq_len=512 + 64 * 64):
    if proportional:
        return math.sqrt(math.log(n) / math.log(train_seq_len) / c.head_dim)
    return 1 / math.sqrt(c.head_dim)


def sdpa(q, k, v, scale):
    return F.scaled_dot_product_attention(q, k, v, scale=scale)


def layer_norm(x):
    return F.layer_norm(x, (x.shape[-1],), eps=1e-6)


def double_block(w, c, i, img, txt, temb, cos, sin, scale):
    p = f"transformer_blocks.{i}."
    e = linear(w, p + "norm1.linear", F.silu(temb))
    shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = e.chunk(6, dim=1)
    ec = linear(w, p + "norm1_context.linear", F.silu(temb))
    c_shift_msa, c_scale_msa, c_gate_msa, c_shift_mlp, c_scale_mlp, c_gate_mlp = ec.chunk(6, dim=1)
    img_n = layer_norm(img) * (1 + scale_msa[:, None]) + shift_msa[:, None]
    txt_n = layer_norm(txt) * (1 + c_scale_msa[:, None]) + c_shift_msa[:, None]

    q = rms_norm(heads(linear(w, p + "attn.to_q", img_n), c), w[p + "attn.norm_q.weight"])
    k = rms_norm(heads(linear(w, p + "attn.to_k", img_n), c), w[p + "attn.norm_k.weight"])
    v = heads(linear(w, p + "attn.to_v", img_n), c)
    cq = rms_norm(heads(linear(w, p + "attn.add_q_proj", txt_n), c), w[p + "attn.norm_added_q.weight"])
    ck = rms_norm(heads(linear(w, p + "attn.add_k_proj", txt_n), c), w[p + "attn.norm_added_k.weight"])
    cv = heads(linear(w, p + "attn.add_v_proj", txt_n), c)
    q = apply_rope(torch.cat([cq, q], 2), cos, sin)
    k = apply_rope(torch.cat([ck, k], 2), cos, sin)
    v = torch.cat([cv, v], 2)
    o = sdpa(q, k, v, scale).transpose(1, 2).flatten(2)
    t_len = txt.shape[1]
    txt_attn, img_attn = o[:, :t_len], o[:, t_len:]

    img = img + gate_msa[:, None] * linear(w, p + "attn.to_out.0", img_attn)
    img_n = layer_norm(img) * (1 + scale_mlp[:, None]) + shift_mlp[:, None]
    img = img + gate_mlp[:, None] * linear(w, p + "ff.net.2", F.gelu(linear(w, p + "ff.net.0.proj", img_n), approximate="tanh"))
    txt = txt + c_gate_msa[:, None] * linear(w, p + "attn.to_add_out", txt_attn)
    txt_n = layer_norm(txt) * (1 + c_scale_mlp[:, None]) + c_shift_mlp[:, None]
    txt = txt + c_gate_mlp[:, None] * linear(w, p + "ff_context.net.2", F.gelu(linear(w, p + "ff_context.net.0.proj", txt_n), approximate="tanh"))
    return img, txt


def single_block(w, c, i, x, temb, cos, sin, scale):
    p = f"single_transformer_blocks.{i}."
    shift, sc, gate = linear(w, p + "norm.linear", F.silu(temb)).chunk(3, dim=1)
    xn = layer_norm(x) * (1 + sc[:, None]) + shift[:, None]
    mlp = F.gelu(linear(w, p + "proj_mlp", xn), approximate="tanh")
    q = apply_rope(rms_norm(heads(linear(w, p + "attn.to_q", xn), c), w[p + "attn.norm_q.weight"]), cos, sin)
    k = apply_rope(rms_norm(heads(linear(w, p + "attn.to_k", xn), c), w[p + "attn.norm_k.weight"]), cos, sin)
    v = heads(linear(w, p + "attn.to_v", xn), c)
    o = sdpa(q, k, v, scale).transpose(1, 2).flatten(2)
    return x + gate[:, None] * linear(w, p + "proj_out", torch.cat([o, mlp], dim=2))


def forward(w, c, packed, txt, pooled, sigma, guidance, latent_h, latent_w, ntk=1.0, proportional=False):
    grid_h, grid_w = latent_h // 2, latent_w // 2
    temb = conditioning(w, c, sigma, guidance, pooled)
    cos, sin = rope(c, txt.shape[1], grid_h, grid_w, ntk)
    scale = attention_scale(c, txt.shape[1] + grid_h * grid_w, proportional)
    img = linear(w, "x_embedder", packed)
    t = linear(w, "context_embedder", txt)
    for i in range(c.num_layers):
        img, t = double_block(w, c, i, img, t, temb, cos, sin, scale)
    x = torch.cat([t, img], 1)
    for i in range(c.num_single_layers):
        x = single_block(w, c, i, x, temb, cos, sin, scale)
    img = x[:, txt.shape[1]:]
    sc, shift = linear(w, "norm_out.linear", F.silu(temb)).chunk(2, dim=1)
    img = layer_norm(img) * (1 + sc[:, None]) + shift[:, None]
    return linear(w, "proj_out", img)


def pack(latents):
    b, ch, h, wd = latents.shape
    x = latents.view(b, ch, h // 2, 2, wd // 2, 2).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(b, (h // 2) * (wd // 2), ch * 4)

"""References for the JVM's FLUX text encoders and tokenizers, written into OUT_DIR:

  python3 model/src/test/python/text_references.py OUT_DIR
  python3 model/src/test/python/text_references.py --check-init CLIP_DIR T5_DIR

The first form makes
  prompts.json                      the prompt set (punctuation, Unicode, very long, empty)
  clip_tokenizer_slow/              CLIP's real BPE vocabulary as vocab.json + merges.txt, built from the
                                    bpe_simple_vocab_16e6.txt.gz that open_clip ships
  clip_tokenizer/                   the same tokenizer saved by transformers (tokenizer.json)
  t5_tokenizer_slow/spiece.model    a small unigram sentencepiece model trained here (T5's special ids)
  t5_tokenizer/                     the same tokenizer saved by transformers (tokenizer.json)
  tokens.safetensors                transformers' ids: clip [P, 77], t5 [P, T5_LENGTH]
  clip_{a,b}/, t5_{a,b}/            tiny random CLIPTextModel / T5EncoderModel (save_pretrained; odd head
                                    counts; b sharded) and *_expected.safetensors with their outputs for the ids
  t5_buckets.safetensors            transformers' relative-position buckets for distances -600..600
The second form loads checkpoints the JVM wrote with transformers and fails on any missing or unexpected key.
Needs torch, transformers, sentencepiece, protobuf and safetensors; open_clip only as a file source.
"""
import gzip
import importlib.util
import json
import os
import sys

import torch
from safetensors.torch import save_file

T5_LENGTH = 48
CLIP_LENGTH = 77

PROMPTS = [
    "a photo of a cat",
    "A RED fox, sitting in the snow; at dusk!!! (high-res) -- 4k, f/2.8 @50mm #nature",
    "Café déjà vu: naïve façade in São Paulo, Zürich & Kraków",
    "東京の夜景 🌃 with neon signs, 10,000 lights",
    "",
    "   leading   and   trailing   spaces   ",
    "don't stop: it's the cat's toy, we'll see",
    "tab\tseparated\nnew line",
    " ".join(["an extremely long prompt about a watercolor landscape with mountains, rivers and clouds"] * 12),
]

CORPUS = [
    "a photo of a cat sitting on a mat", "a red fox in the snow at dusk", "high resolution landscape photography",
    "a watercolor painting of mountains and rivers", "the quick brown fox jumps over the lazy dog",
    "neon lights in a city at night", "cafe de paris with a naive facade", "it's the cat's toy, we'll see",
    "portrait of an old man, detailed, 4k, f/2.8", "clouds over the sea, golden hour, cinematic",
] * 20


def bytes_to_unicode():
    """GPT-2/CLIP's reversible map from bytes to printable unicode characters."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, [chr(c) for c in chars]))


def write_clip_vocab(folder):
    package = importlib.util.find_spec("open_clip").submodule_search_locations[0]
    with gzip.open(os.path.join(package, "bpe_simple_vocab_16e6.txt.gz")) as f:
        lines = f.read().decode("utf-8").split("\n")
    merges = [tuple(line.split()) for line in lines[1:49152 - 256 - 2 + 1]]
    symbols = list(bytes_to_unicode().values())
    vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges] + ["<|startoftext|>", "<|endoftext|>"]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({token: i for i, token in enumerate(vocab)}, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(" ".join(m) for m in merges) + "\n")


def train_spiece(folder):
    import sentencepiece as spm
    os.makedirs(folder, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS), model_prefix=os.path.join(folder, "spiece"), vocab_size=100, model_type="unigram", hard_vocab_limit=False,
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, character_coverage=1.0, minloglevel=2)
    os.remove(os.path.join(folder, "spiece.vocab"))


def perturb(model, generator, scale):
    """Random weights everywhere (norm scales and biases too), so every parameter matters."""
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=generator) * scale)


def main(out):
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer, T5Config, T5EncoderModel, T5Tokenizer
    from transformers.models.t5.modeling_t5 import T5Attention

    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1234)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "prompts.json"), "w", encoding="utf-8") as f:
        json.dump({"prompts": PROMPTS, "t5_length": T5_LENGTH, "clip_length": CLIP_LENGTH}, f, ensure_ascii=False)

    write_clip_vocab(os.path.join(out, "clip_tokenizer_slow"))
    clip_tok = CLIPTokenizer.from_pretrained(os.path.join(out, "clip_tokenizer_slow"))
    clip_tok.save_pretrained(os.path.join(out, "clip_tokenizer"))
    clip_ids = clip_tok(PROMPTS, padding="max_length", max_length=CLIP_LENGTH, truncation=True, return_tensors="pt").input_ids

    train_spiece(os.path.join(out, "t5_tokenizer_slow"))
    t5_tok = T5Tokenizer.from_pretrained(os.path.join(out, "t5_tokenizer_slow"))
    t5_tok.save_pretrained(os.path.join(out, "t5_tokenizer"))
    t5_ids = t5_tok(PROMPTS, padding="max_length", max_length=T5_LENGTH, truncation=True, return_tensors="pt").input_ids
    save_file({"clip": clip_ids.contiguous(), "t5": t5_ids.contiguous()}, os.path.join(out, "tokens.safetensors"))

    clips = {
        "clip_a": (CLIPTextConfig(vocab_size=49408, hidden_size=30, intermediate_size=40, num_hidden_layers=2, num_attention_heads=5,
                                  max_position_embeddings=77, hidden_act="quick_gelu", bos_token_id=0, eos_token_id=2, pad_token_id=1,
                                  projection_dim=30), None),
        "clip_b": (CLIPTextConfig(vocab_size=49408, hidden_size=24, intermediate_size=56, num_hidden_layers=3, num_attention_heads=3,
                                  max_position_embeddings=77, hidden_act="gelu", bos_token_id=49406, eos_token_id=49407, pad_token_id=1,
                                  projection_dim=24), "300KB"),
    }
    for name, (config, shard) in clips.items():
        model = CLIPTextModel(config).eval()
        perturb(model, g, 0.05)
        model.save_pretrained(os.path.join(out, name), **({"max_shard_size": shard} if shard else {}))
        with torch.no_grad():
            result = model(input_ids=clip_ids)
        save_file({"last_hidden_state": result.last_hidden_state.contiguous(), "pooled": result.pooler_output.contiguous()},
                  os.path.join(out, name + "_expected.safetensors"))

    vocab = len(t5_tok)
    t5s = {
        "t5_a": (T5Config(vocab_size=vocab, d_model=32, d_kv=8, d_ff=48, num_layers=2, num_heads=3, feed_forward_proj="gated-gelu",
                          relative_attention_num_buckets=32, relative_attention_max_distance=128), None),
        "t5_b": (T5Config(vocab_size=vocab, d_model=20, d_kv=4, d_ff=36, num_layers=3, num_heads=5, feed_forward_proj="gated-gelu",
                          relative_attention_num_buckets=16, relative_attention_max_distance=20), "20KB"),
    }
    for name, (config, shard) in t5s.items():
        model = T5EncoderModel(config).eval()
        perturb(model, g, 0.05)
        model.save_pretrained(os.path.join(out, name), **({"max_shard_size": shard} if shard else {}))
        with torch.no_grad():
            result = model(input_ids=t5_ids)
        save_file({"last_hidden_state": result.last_hidden_state.contiguous()}, os.path.join(out, name + "_expected.safetensors"))

    distances = torch.arange(-600, 601)
    buckets = {f"buckets_{n}_{d}": T5Attention._relative_position_bucket(distances, bidirectional=True, num_buckets=n, max_distance=d)
               for n, d in [(32, 128), (16, 20)]}
    save_file({"distances": distances, **buckets}, os.path.join(out, "t5_buckets.safetensors"))
    print("ok")


def check_init(clip_dir, t5_dir):
    from transformers import CLIPTextModel, T5EncoderModel
    for cls, folder in [(CLIPTextModel, clip_dir), (T5EncoderModel, t5_dir)]:
        model, info = cls.from_pretrained(folder, output_loading_info=True)
        problems = {k: v for k, v in info.items() if v and k != "error_msgs" or (k == "error_msgs" and v)}
        assert not problems, f"{folder}: {problems}"
        with torch.no_grad():
            out = model(input_ids=torch.tensor([[0, 5, 7, 1]])).last_hidden_state
        assert torch.isfinite(out).all(), folder
    print("ok")


if __name__ == "__main__":
    if sys.argv[1] == "--check-init":
        check_init(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1])

"""transformers' side of `urae bench text`: CLIPTextModel and T5EncoderModel from the component folders the
JVM wrote, on the same ids, with the same thread count. Prints one line per encoder:
`NAME SECONDS_PER_BATCH CPU_SECONDS_PER_BATCH` (medians; CPU is the process's, all threads).

  python3 text_encoders_transformers.py DIR IDS.safetensors THREADS SECONDS
"""
import sys
import time

import torch
from safetensors.torch import load_file
from transformers import CLIPTextModel, T5EncoderModel


def timed(fn, seconds):
    fn()  # warm-up
    times = []
    cpu = []
    start = time.perf_counter()
    while not times or (time.perf_counter() - start < seconds and len(times) < 50):
        t = time.perf_counter()
        c = time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        times.append(time.perf_counter() - t)
    return f"{median(times)} {median(cpu)}"


def median(values):
    return sorted(values)[len(values) // 2]


def main(folder, ids_file, threads, seconds):
    torch.set_num_threads(threads)
    torch.set_grad_enabled(False)
    ids = load_file(ids_file)
    clip = CLIPTextModel.from_pretrained(folder + "/text_encoder").eval()
    t5 = T5EncoderModel.from_pretrained(folder + "/text_encoder_2").eval()
    print("clip", timed(lambda: clip(input_ids=ids["clip"]).pooler_output, seconds), flush=True)
    print("t5", timed(lambda: t5(input_ids=ids["t5"]).last_hidden_state, seconds), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))

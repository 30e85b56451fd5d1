# SPDX-License-Identifier: AGPL-3.0-or-later
"""Training throughput of ai/train.py's loop on this machine: images per second (the whole
step: mosaic and the other augmentation, forward, loss, backward, AdamW, EMA) for each
network size and picture size, and, with --end-to-end N, the time from an export of N
labelled photos on disk to a candidate ready (model, names, mapping, model card).

  /usr/bin/python3 bench/train_throughput.py [--threads 2] [--steps 6] [--end-to-end 1000]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

AI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ai")
sys.path.insert(0, AI)

import train  # noqa: E402
import yolov8  # noqa: E402
from training import augment, data  # noqa: E402
from training.loss import YoloLoss  # noqa: E402


def steps_per_second(pictures, scale, size, batch, steps, nc):
    torch.manual_seed(0)
    model = yolov8.YOLOv8(nc=nc, scale=scale)
    model.detect.init_biases(size)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=0.001)
    ema = train.Ema(model)
    loss_fn = YoloLoss(nc, size)
    rng = np.random.default_rng(0)
    start = None
    for i in range(steps + 1):  # the first step warms up and is not counted
        if i == 1:
            start = time.monotonic()
        pics, targets = [], []
        for j in range(batch):
            img, boxes = augment.training_picture(pictures.__getitem__, (i * batch + j) % len(pictures),
                                                  len(pictures), rng, size, True)
            pics.append(img)
            targets.append(torch.from_numpy(boxes))
        loss, _ = loss_fn(model(train.batch_tensor(pics, "cpu")), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema.update(model)
    return steps * batch / (time.monotonic() - start)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=6)
    p.add_argument("--end-to-end", type=int, default=0, help="photos for the end-to-end run (0: skip)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    work = tempfile.mkdtemp(prefix="cleanai-train-bench-")
    synth = os.path.join(AI, "make_synthetic_dataset.py")
    subprocess.run([sys.executable, synth, os.path.join(work, "small"), "--images", "64", "--one-class"], check=True)
    names, samples = data.load([os.path.join(work, "small")])
    print("torch %s, %d threads, %s" % (torch.__version__, a.threads,
                                        "CUDA " + torch.cuda.get_device_name(0) if torch.cuda.is_available() else "CPU"))
    print("%-8s %-6s %-6s %s" % ("network", "size", "batch", "images/s (training)"))
    for scale in ("t", "n"):
        for size in (320, 640):
            pictures = train.Pictures(samples, size)
            batch = 8 if size == 320 else 4
            ips = steps_per_second(pictures, scale, size, batch, a.steps, len(names))
            print("%-8s %-6d %-6d %.1f" % ("YOLOv8" + scale, size, batch, ips))
    if a.end_to_end:
        out = os.path.join(work, "e2e")
        subprocess.run([sys.executable, synth, os.path.join(work, "export"), "--images", str(a.end_to_end),
                        "--one-class"], check=True)
        start = time.monotonic()
        subprocess.run([sys.executable, os.path.join(AI, "train.py"), "--data", os.path.join(work, "export"),
                        "--out", out, "--size", "320", "--scale", "t", "--epochs", "20", "--batch", "8",
                        "--threads", str(a.threads)], check=True, stderr=subprocess.DEVNULL)
        print("end to end: %d labelled photos on disk -> candidate ready (YOLOv8t, 320, 20 epochs): %.0f s"
              % (a.end_to_end, time.monotonic() - start))
        with open(os.path.join(out, "model.card.md")) as f:
            print("".join(line for line in f if line.startswith("| mAP")))


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: AGPL-3.0-or-later
"""Builds a network with YOLOv8n's size and structure (random weights) for the benchmark:
about 3.2 M parameters and 8.7 GFLOPs at 640×640, exported in the raw-head form.

usage: make_bench_model.py OUT.onnx   (writes OUT.names and OUT.mapping beside it, and
OUT.input.bin / OUT.output.bin: PyTorch's output on a fixed input, as float32)
"""
import sys

import torch

from yolov8 import YOLOv8, export_raw_head

NC = 80


def main():
    out = sys.argv[1]
    torch.manual_seed(7)
    model = YOLOv8(nc=NC, scale="n")
    # Random BatchNorm statistics, so activations look like a trained network's, not zeros.
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    params = sum(p.numel() for p in model.parameters())
    print("parameters: %.2f M" % (params / 1e6))
    export_raw_head(model, out)
    base = out[:-5] if out.endswith(".onnx") else out
    with open(base + ".names", "w") as f:
        f.write("\n".join("class%d" % i for i in range(NC)) + "\n")
    with open(base + ".mapping", "w") as f:
        f.write("class0 = plastic\nclass1 = paper\nclass2 = metal\nclass3 = glass\n")
    # The reference output on a fixed input, to compare OpenCV's against.
    torch.manual_seed(1)
    x = torch.rand(1, 3, 640, 640)
    with torch.no_grad():
        y = model.eval()(x)
    x.numpy().astype("float32").tofile(base + ".input.bin")
    y.numpy().astype("float32").tofile(base + ".output.bin")
    print("output", tuple(y.shape))


if __name__ == "__main__":
    main()

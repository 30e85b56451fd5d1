# SPDX-License-Identifier: AGPL-3.0-or-later
"""Builds a small ONNX model in the raw-head YOLOv8 form, with outputs known in advance.

The detector's tests use it to check decoding, thresholds, NMS and class mapping
exactly. It has YOLOv8's contract: input "images" [1, 3, 640, 640] (RGB, 0..1), output
[1, 64 + nc, 8400] — per anchor, 4 × 16 distribution-focal-loss logits (left, top, right,
bottom) then nc class logits; anchors are the 80×80, 40×40 and 20×20 grids of strides 8,
16 and 32, in that order. Per stride the graph is AveragePool(stride) → 1×1 Conv → Add a
constant [1, C, H, W] → Reshape [1, C, H·W], then Concat on axis 2: only operations
OpenCV 4.6's dnn module runs correctly (no broadcasting, no Split).

What it detects on a grey picture (class logits are −12 everywhere else; boxes in the
640×640 input; detector_test.cc checks each):
  * stride 8, cell (10, 20): "bottle", logit 3 (0.9526); l, t, r, b = 2, 3, 4, 1 bins
    → box 68..116 × 140..172.
  * stride 16, cell (5, 10): "bottle", logit 1 (0.7311); 2 bins each side → 56..120 ×
    136..200, which holds the first: IoU 0.375, kept at NMS IoU 0.45.
  * stride 8, cell (11, 20): "bottle", logit 2 (0.8808) → 76..124 × 140..172: IoU 0.71
    with the first, suppressed.
  * stride 32, cell (15, 5): "can", logit 0 (0.5) → 464..528 × 144..208.
  * stride 32, cell (2, 17): "paper", logit −2 (0.1192) → 48..112 × 528..592: under a
    0.25 threshold.
  * "glass" follows the picture: at every stride-32 cell its logit is
    −12 + 24 × (mean red − mean green), so a pure red block filling a cell gives logit 12
    and a 32×32 box on that cell (0.5 bin each side).

usage: make_test_model.py OUT.onnx   (writes OUT.names beside it)
"""
import json
import math
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NAMES = ["bottle", "paper", "can", "glass"]
NC = len(NAMES)
C = 64 + NC
STRIDES = (8, 16, 32)
NONE = -12.0


def dfl_logits(distance):
    """16 logits whose softmax expectation is `distance` bins (0..15): two neighbouring
    bins share the weight, the rest are far below."""
    logits = np.full(16, -30.0, dtype=np.float32)
    lo = int(math.floor(distance))
    frac = distance - lo
    if frac == 0:
        logits[lo] = 0.0
    else:
        logits[lo] = math.log(1 - frac)
        logits[lo + 1] = math.log(frac)
    return logits


def constant_for(stride):
    g = 640 // stride
    const = np.zeros((1, C, g, g), dtype=np.float32)
    const[0, 64:, :, :] = NONE
    for side in range(4):
        const[0, side * 16:(side + 1) * 16, :, :] = dfl_logits(0.5)[:, None, None]
    return const


def place(const, x, y, cls, logit, ltrb):
    for side, d in enumerate(ltrb):
        const[0, side * 16:(side + 1) * 16, y, x] = dfl_logits(d)
    const[0, 64 + cls, y, x] = logit


def main():
    out = sys.argv[1]
    consts = {s: constant_for(s) for s in STRIDES}
    place(consts[8], 10, 20, 0, 3.0, (2, 3, 4, 1))
    place(consts[16], 5, 10, 0, 1.0, (2, 2, 2, 2))
    place(consts[8], 11, 20, 0, 2.0, (2, 3, 4, 1))
    place(consts[32], 15, 5, 2, 0.0, (1, 1, 1, 1))
    place(consts[32], 2, 17, 1, -2.0, (1, 1, 1, 1))
    # The glass channel reads the picture at stride 32 (its constant there is 0).
    consts[32][0, 64 + 3, :, :] = 0.0

    nodes, inits, outs = [], [], []
    for s in STRIDES:
        g = 640 // s
        weight = np.zeros((C, 3, 1, 1), dtype=np.float32)
        bias = np.zeros(C, dtype=np.float32)
        if s == 32:
            weight[64 + 3, 0, 0, 0] = 24.0   # + red
            weight[64 + 3, 1, 0, 0] = -24.0  # − green
            bias[64 + 3] = NONE
        inits += [numpy_helper.from_array(weight, "w%d" % s), numpy_helper.from_array(bias, "b%d" % s),
                  numpy_helper.from_array(consts[s], "c%d" % s),
                  numpy_helper.from_array(np.array([1, C, g * g], dtype=np.int64), "shape%d" % s)]
        nodes += [
            helper.make_node("AveragePool", ["images"], ["pool%d" % s], kernel_shape=[s, s], strides=[s, s]),
            helper.make_node("Conv", ["pool%d" % s, "w%d" % s, "b%d" % s], ["conv%d" % s], kernel_shape=[1, 1]),
            helper.make_node("Add", ["conv%d" % s, "c%d" % s], ["sum%d" % s]),
            helper.make_node("Reshape", ["sum%d" % s, "shape%d" % s], ["flat%d" % s]),
        ]
        outs.append("flat%d" % s)
    nodes.append(helper.make_node("Concat", outs, ["output0"], axis=2))
    graph = helper.make_graph(
        nodes, "cleanai-test-detector",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 640, 640])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, C, 8400])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)],
                              producer_name="cleanai make_test_model.py")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, out)
    base = out[:-5] if out.endswith(".onnx") else out
    with open(base + ".names", "w") as f:
        f.write("\n".join(NAMES) + "\n")


if __name__ == "__main__":
    main()

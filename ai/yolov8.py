# SPDX-License-Identifier: AGPL-3.0-or-later
"""YOLOv8's detection network in plain PyTorch, and its export in the raw-head form that
OpenCV 4.6's dnn module runs (see docs/ai.md).

The layers follow Ultralytics' published yolov8.yaml (backbone of Conv and C2f blocks with
SPPF, a PAN neck, and the decoupled Detect head with 16-bin distribution focal loss per
box side). The "raw head" is Detect without its decoding: for each of the three scales
the box branch (4 × 16 logits) and the class branch (nc logits) are concatenated and
flattened, giving [1, 64 + nc, 8400] for a 640×640 input. The C++ side decodes.

make_bench_model.py builds YOLOv8n with random weights from this file; an operator with a
trained model uses export_yolov8_raw_head.py instead.
"""
import math

import torch
from torch import nn

SCALES = {  # depth, width, max channels
    "t": (0.33, 0.125, 1024),  # not Ultralytics': a quarter of n's work, for small data sets on 2 cores
    "n": (0.33, 0.25, 1024),
    "s": (0.33, 0.50, 1024),
    "m": (0.67, 0.75, 768),
}


class Conv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2, eps=1e-3, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        # A fused checkpoint has folded the BatchNorm into the convolution.
        return self.act(self.bn(self.conv(x)) if hasattr(self, "bn") else self.conv(x))


class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True):
        super().__init__()
        self.cv1 = Conv(c1, c2, 3)
        self.cv2 = Conv(c2, c2, 3)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C2f(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False):
        super().__init__()
        self.c = c2 // 2
        self.cv1 = Conv(c1, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, self.c, shortcut) for _ in range(n))

    def forward(self, x):
        y = self.cv1(x)
        # Two slices, not Split: the same numbers, and an op OpenCV 4.6 handles everywhere.
        parts = [y[:, : self.c], y[:, self.c:]]
        for m in self.m:
            parts.append(m(parts[-1]))
        return self.cv2(torch.cat(parts, 1))


class SPPF(nn.Module):
    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1)
        self.cv2 = Conv(c_ * 4, c2, 1)
        self.m = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        y = [self.cv1(x)]
        for _ in range(3):
            y.append(self.m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class Concat(nn.Module):
    def __init__(self, d=1):
        super().__init__()
        self.d = d

    def forward(self, xs):
        return torch.cat(xs, self.d)


class RoutedModel(nn.Module):
    """Ultralytics' DetectionModel layout: `model` is a Sequential whose layers carry `f`
    (the input: -1 for the previous layer, an index, or a list) and `i` (their index);
    `save` lists the outputs later layers read."""

    def forward(self, x):
        y = []
        for m in self.model:
            if m.f != -1:
                x = y[m.f] if isinstance(m.f, int) else [x if j == -1 else y[j] for j in m.f]
            x = m(x)
            y.append(x if m.i in self.save else None)
        return x


class RawDetect(nn.Module):
    """Detect's two branches per scale, concatenated and flattened; no decoding."""

    def __init__(self, nc, ch, reg_max=16):
        super().__init__()
        c2 = max(16, ch[0] // 4, reg_max * 4)
        c3 = max(ch[0], min(nc, 100))
        self.cv2 = nn.ModuleList(nn.Sequential(Conv(x, c2, 3), Conv(c2, c2, 3), nn.Conv2d(c2, 4 * reg_max, 1)) for x in ch)
        self.cv3 = nn.ModuleList(nn.Sequential(Conv(x, c3, 3), Conv(c3, c3, 3), nn.Conv2d(c3, nc, 1)) for x in ch)
        self.no = 4 * reg_max + nc

    def forward(self, xs):
        outs = []
        for i, x in enumerate(xs):
            y = torch.cat((self.cv2[i](x), self.cv3[i](x)), 1)
            # The export has batch 1 (fixed shapes, no Shape ops); training has batches.
            b = 1 if torch.onnx.is_in_onnx_export() else y.shape[0]
            outs.append(y.reshape(b, self.no, -1))
        return torch.cat(outs, 2)

    def init_biases(self, size, strides=(8, 16, 32)):
        """The usual start for training from scratch: box logits at 1, class logits at the
        odds of about 5 objects of a class in a picture of `size`."""
        nc = self.no - 64
        for box, cls, s in zip(self.cv2, self.cv3, strides):
            box[-1].bias.data[:] = 1.0
            cls[-1].bias.data[:nc] = math.log(5 / nc / (size / s) ** 2)


class YOLOv8(nn.Module):
    def __init__(self, nc=80, scale="n"):
        super().__init__()
        depth, width, max_ch = SCALES[scale]
        ch = lambda c: int(min(c, max_ch) * width)  # noqa: E731
        n = lambda k: max(round(k * depth), 1)  # noqa: E731
        self.b0 = Conv(3, ch(64), 3, 2)
        self.b1 = Conv(ch(64), ch(128), 3, 2)
        self.b2 = C2f(ch(128), ch(128), n(3), True)
        self.b3 = Conv(ch(128), ch(256), 3, 2)
        self.b4 = C2f(ch(256), ch(256), n(6), True)
        self.b5 = Conv(ch(256), ch(512), 3, 2)
        self.b6 = C2f(ch(512), ch(512), n(6), True)
        self.b7 = Conv(ch(512), ch(1024), 3, 2)
        self.b8 = C2f(ch(1024), ch(1024), n(3), True)
        self.b9 = SPPF(ch(1024), ch(1024))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.h12 = C2f(ch(1024) + ch(512), ch(512), n(3))
        self.h15 = C2f(ch(512) + ch(256), ch(256), n(3))
        self.h16 = Conv(ch(256), ch(256), 3, 2)
        self.h18 = C2f(ch(256) + ch(512), ch(512), n(3))
        self.h19 = Conv(ch(512), ch(512), 3, 2)
        self.h21 = C2f(ch(512) + ch(1024), ch(1024), n(3))
        self.detect = RawDetect(nc, (ch(256), ch(512), ch(1024)))

    def forward(self, x):
        p3 = self.b4(self.b3(self.b2(self.b1(self.b0(x)))))
        p4 = self.b6(self.b5(p3))
        p5 = self.b9(self.b8(self.b7(p4)))
        h12 = self.h12(torch.cat((self.up(p5), p4), 1))
        h15 = self.h15(torch.cat((self.up(h12), p3), 1))
        h18 = self.h18(torch.cat((self.h16(h15), h12), 1))
        h21 = self.h21(torch.cat((self.h19(h18), p5), 1))
        return self.detect([h15, h18, h21])


def routed_layers(net):
    """The layers of a YOLOv8 in Ultralytics' order with their routing (f, i), as its
    yolov8.yaml lists them."""
    up = lambda: nn.Upsample(scale_factor=2, mode="nearest")  # noqa: E731
    layers = [
        (net.b0, -1), (net.b1, -1), (net.b2, -1), (net.b3, -1), (net.b4, -1), (net.b5, -1),
        (net.b6, -1), (net.b7, -1), (net.b8, -1), (net.b9, -1),
        (up(), -1), (Concat(1), [-1, 6]), (net.h12, -1),
        (up(), -1), (Concat(1), [-1, 4]), (net.h15, -1),
        (net.h16, -1), (Concat(1), [-1, 12]), (net.h18, -1),
        (net.h19, -1), (Concat(1), [-1, 9]), (net.h21, -1),
        (net.detect, [15, 18, 21]),
    ]
    for i, (m, f) in enumerate(layers):
        m.f, m.i = f, i
    return [m for m, _ in layers], [4, 6, 9, 12, 15, 18, 21]


def export_raw_head(model, path, size=640):
    """Exports `model` (whose forward returns the raw head) as ONNX opset 12, batch 1."""
    model.eval()
    dummy = torch.zeros(1, 3, size, size)
    torch.onnx.export(model, dummy, path, opset_version=12, input_names=["images"],
                      output_names=["output0"], do_constant_folding=True)

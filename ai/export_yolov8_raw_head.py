# SPDX-License-Identifier: AGPL-3.0-or-later
"""Exports a trained Ultralytics YOLOv8 detection model (best.pt) in the raw-head ONNX form
that CleanAI runs on OpenCV 4.6 (docs/ai.md), with the class names and a mapping template.

It needs only PyTorch (Debian's python3-torch), not the `ultralytics` package: the
checkpoint is unpickled onto the plain-PyTorch layers of ai/yolov8.py, which carry the
same attribute names (Conv.conv/bn/act, C2f.cv1/cv2/m, SPPF, Detect.cv2/cv3), with
Detect's forward replaced by the raw concatenation of its two branches per scale.

    python3 ai/export_yolov8_raw_head.py runs/detect/train/weights/best.pt models/litter.onnx

then fill in models/litter.mapping (class name = CleanAI waste type), check it with
`build/release/ai_bench models/litter.onnx`, and start CleanAI with
CLEANAI_AI_MODEL=models/litter.onnx.

Why not `yolo export format=onnx`? Its graph ends in the box decoding (anchor broadcasts,
a Split with unequal sizes, DFL as a Conv over a softmax) that OpenCV 4.6 computes wrongly
or refuses, at every opset. Here the graph stops at the head's logits ([1, 64 + nc, 8400]
at 640×640, opset 12, batch 1), C2f's chunk is two slices, and CleanAI decodes in C++.
"""
import importlib.abc
import importlib.machinery
import os
import sys
import types

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yolov8  # noqa: E402

# Ultralytics class name -> the layer here that computes the same from the same attributes.
LAYERS = {
    "Conv": yolov8.Conv,
    "C2f": yolov8.C2f,
    "Bottleneck": yolov8.Bottleneck,
    "SPPF": yolov8.SPPF,
    "Concat": yolov8.Concat,
    "Detect": yolov8.RawDetect,
    "DetectionModel": yolov8.RoutedModel,
}


class Unused(nn.Module):
    """Any other Ultralytics module in the checkpoint (DFL: the raw head does not use it)."""

    def forward(self, x):
        return x


class Record:
    """Any other Ultralytics object (training arguments and the like): kept, not used."""

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        if isinstance(state, dict):
            self.__dict__.update(state)


def _layer(name):
    if name in LAYERS:
        return LAYERS[name]
    return Unused if name in ("DFL", "Proto") else Record


class _UltralyticsStandIn(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers every `import ultralytics…` with a module whose classes are the stand-ins
    above, so the checkpoint unpickles without the real package (whatever its version's
    module paths)."""

    def find_spec(self, fullname, path, target=None):
        if fullname == "ultralytics" or fullname.startswith("ultralytics."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = _layer  # PEP 562: any class name the pickle asks for
        return module

    def exec_module(self, module):
        pass


def load_checkpoint(path):
    # First on the path, even where the real package is installed: its Detect would decode.
    sys.meta_path.insert(0, _UltralyticsStandIn())
    ckpt = torch.load(path, map_location="cpu")
    net = (ckpt.get("ema") or ckpt["model"]) if isinstance(ckpt, dict) else ckpt
    if not isinstance(net, yolov8.RoutedModel):
        sys.exit("%s does not hold an Ultralytics detection model" % path)
    names = getattr(net, "names", None)
    if isinstance(names, dict):
        names = [names[i] for i in sorted(names)]
    if not names:
        names = ["class%d" % i for i in range(net.model[-1].nc)]
    return net.float().eval(), names


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: export_yolov8_raw_head.py BEST.pt OUT.onnx")
    src, out = sys.argv[1], sys.argv[2]
    net, names = load_checkpoint(src)
    head = net.model[-1]
    if head.no != 64 + len(names):
        sys.exit("the head has %d outputs per anchor, not 64 + %d classes: not a YOLOv8 detection model"
                 % (head.no, len(names)))
    yolov8.export_raw_head(net, out)
    base = out[:-5] if out.endswith(".onnx") else out
    with open(base + ".names", "w") as f:
        f.write("\n".join(names) + "\n")
    if not os.path.exists(base + ".mapping"):
        with open(base + ".mapping", "w") as f:
            f.write("# class name = CleanAI waste type (plastic, organic, paper, glass, metal, e-waste,\n"
                    "# hazardous, construction, medical, mixed, other). Unmapped classes are drawn\n"
                    "# but never proposed as a report's type.\n")
            for n in names:
                f.write("# %s = \n" % n)
    with torch.no_grad():
        shape = tuple(net(torch.zeros(1, 3, 640, 640)).shape)
    print("exported %s: output %s, %d classes; fill in %s.mapping" % (out, shape, len(names), base))


if __name__ == "__main__":
    main()

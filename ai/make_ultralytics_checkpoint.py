# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes a checkpoint laid out as Ultralytics saves one (a dict whose "model" is a
DetectionModel of ultralytics.nn.* classes, with training arguments beside it), from the
YOLOv8n of ai/yolov8.py with random weights, so export_yolov8_raw_head.py can be tested
without the `ultralytics` package. Also writes OUT.input.bin / OUT.output.bin: the raw
head's output on a fixed input, as float32, for the parity check.

usage: make_ultralytics_checkpoint.py OUT.pt
"""
import copy
import os
import sys
import types

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yolov8  # noqa: E402

NAMES = {0: "Plastic bottle", 1: "Drink can", 2: "Glass jar"}


def fake_module(name, classes):
    """Registers `name` as a module holding subclasses of `classes`, so pickle records
    ultralytics paths for them."""
    parts = name.split(".")
    for i in range(1, len(parts)):  # the parent packages, for pickle's import check
        sys.modules.setdefault(".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    mod = types.ModuleType(name)
    made = {}
    for cls_name, base in classes.items():
        made[cls_name] = type(cls_name, (base,), {"__module__": name})
        setattr(mod, cls_name, made[cls_name])
    sys.modules[name] = mod
    return made


def main():
    out = sys.argv[1]
    conv = fake_module("ultralytics.nn.modules.conv", {"Conv": yolov8.Conv, "Concat": yolov8.Concat})
    block = fake_module("ultralytics.nn.modules.block", {"C2f": yolov8.C2f, "Bottleneck": yolov8.Bottleneck,
                                                         "SPPF": yolov8.SPPF, "DFL": nn.Identity})
    head = fake_module("ultralytics.nn.modules.head", {"Detect": yolov8.RawDetect})
    tasks = fake_module("ultralytics.nn.tasks", {"DetectionModel": yolov8.RoutedModel})
    utils = fake_module("ultralytics.utils", {"IterableSimpleNamespace": types.SimpleNamespace})

    torch.manual_seed(11)
    net = yolov8.YOLOv8(nc=len(NAMES), scale="n")
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    net.eval()
    torch.manual_seed(1)
    x = torch.rand(1, 3, 640, 640)
    with torch.no_grad():
        y = net(x)

    # Re-class every layer as Ultralytics' and route them as its DetectionModel does.
    ours = {yolov8.Conv: conv["Conv"], yolov8.C2f: block["C2f"], yolov8.Bottleneck: block["Bottleneck"],
            yolov8.SPPF: block["SPPF"], yolov8.RawDetect: head["Detect"]}
    layers, save = yolov8.routed_layers(net)
    for m in list(net.modules()) + layers:
        if type(m) in ours:
            m.__class__ = ours[type(m)]
        elif type(m) is yolov8.Concat:
            m.__class__ = conv["Concat"]
    d = net.detect
    d.nl, d.nc, d.reg_max, d.stride, d.dfl = 3, len(NAMES), 16, torch.tensor([8.0, 16.0, 32.0]), block["DFL"]()
    model = tasks["DetectionModel"]()
    model.model = nn.Sequential(*layers)
    model.save = save
    model.names = NAMES
    model.args = utils["IterableSimpleNamespace"](imgsz=640, epochs=100)
    with torch.no_grad():
        assert torch.equal(model.eval()(x), y), "the routed model must compute what the plain one does"
    # Ultralytics keeps weights in half precision; the reference is what those compute.
    model.half()
    with torch.no_grad():
        y = copy.deepcopy(model).float().eval()(x)
    torch.save({"epoch": -1, "model": model, "ema": None,
                "train_args": {"imgsz": 640}, "date": "2026-01-01"}, out)
    base = out[:-3] if out.endswith(".pt") else out
    x.numpy().astype("float32").tofile(base + ".input.bin")
    y.numpy().astype("float32").tofile(base + ".output.bin")


if __name__ == "__main__":
    main()

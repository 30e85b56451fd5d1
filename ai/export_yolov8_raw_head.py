"""Exports a trained Ultralytics YOLOv8 detection model (best.pt) in the raw-head ONNX form
that CleanAI runs on OpenCV 4.6 (docs/ai.md), with the class names and a mapping template.

Run it where you trained (it needs the `ultralytics` package and PyTorch):

    python3 ai/export_yolov8_raw_head.py runs/detect/train/weights/best.pt models/litter.onnx

then edit models/litter.mapping (class name = CleanAI waste type) and start CleanAI with
CLEANAI_AI_MODEL=models/litter.onnx.

Why not `yolo export format=onnx`? Its graph ends in the box decoding (anchor broadcasts,
a Split with unequal sizes, DFL as a Conv over a softmax) that OpenCV 4.6 computes wrongly
or refuses, at every opset. Here the Detect head returns its two branches per scale,
concatenated and flattened ([1, 64 + nc, 8400] at 640×640), and C2f's chunk becomes two
slices; the C++ side does the decoding. `build/release/ai_bench OUT.onnx` then checks that
OpenCV loads it and times it.
"""
import sys
import types

import torch


def raw_detect_forward(self, x):
    outs = []
    for i in range(self.nl):
        y = torch.cat((self.cv2[i](x[i]), self.cv3[i](x[i])), 1)
        outs.append(y.reshape(1, self.no, -1))
    return torch.cat(outs, 2)


def c2f_slices_forward(self, x):
    y = self.cv1(x)
    parts = [y[:, : self.c], y[:, self.c:]]
    parts.extend(m(parts[-1]) for m in self.m)
    return self.cv2(torch.cat(parts, 1))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: export_yolov8_raw_head.py BEST.pt OUT.onnx")
    from ultralytics import YOLO  # the operator's training environment

    src, out = sys.argv[1], sys.argv[2]
    yolo = YOLO(src)
    net = yolo.model.float().eval()
    for m in net.modules():
        name = type(m).__name__
        if name == "Detect":
            m.forward = types.MethodType(raw_detect_forward, m)
        elif name == "C2f":
            m.forward = types.MethodType(c2f_slices_forward, m)
    dummy = torch.zeros(1, 3, 640, 640)
    torch.onnx.export(net, dummy, out, opset_version=12, input_names=["images"],
                      output_names=["output0"], do_constant_folding=True)
    names = [yolo.names[i] for i in sorted(yolo.names)]
    base = out[:-5] if out.endswith(".onnx") else out
    with open(base + ".names", "w") as f:
        f.write("\n".join(names) + "\n")
    with open(base + ".mapping", "w") as f:
        f.write("# class name = CleanAI waste type (plastic, organic, paper, glass, metal, e-waste,\n"
                "# hazardous, construction, medical, mixed, other). Unmapped classes are shown\n"
                "# but never proposed as a report's type.\n")
        for n in names:
            f.write("# %s = \n" % n)
    with torch.no_grad():
        y = net(dummy)
    print("exported %s: output %s, %d classes; now fill in %s.mapping" % (out, tuple(y.shape), len(names), base))


if __name__ == "__main__":
    main()

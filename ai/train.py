# SPDX-License-Identifier: AGPL-3.0-or-later
"""Trains the project's YOLOv8 (ai/yolov8.py) on a YOLO data set: the pages of CleanAI's
`GET /api/ai/dataset` export (tar files) or directories with data.yaml, images/ and labels/.

  python3 ai/train.py --data page1.tar page2.tar --out runs/2026-12-02 [--size 320]
                      [--epochs 60] [--scale n] [--weights pretrained.pt] [--resume]

Writes into --out: last.pt (resumable), best.pt, model.onnx (the raw head the server loads),
model.names, model.mapping, model.card.json and model.card.md, split.json. The held-out
reports are chosen by --seed and never enter training; the scores are theirs. docs/ai.md,
"Train your city's model", tells the whole loop.

Exit status: 0 trained, 2 the data set or an option is unusable (the message says why),
1 anything else.
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import yolov8  # noqa: E402
from training import augment, card, data, evaluate  # noqa: E402
from training.loss import YoloLoss, anchor_grid  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", nargs="+", required=True, help="tar pages of the export, or directories")
    p.add_argument("--out", required=True, help="the run's directory")
    p.add_argument("--size", type=int, default=640, help="picture size, 320 to 640, a multiple of 32")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--scale", default="n", choices=sorted(yolov8.SCALES))
    p.add_argument("--lr", type=float, default=0.002)
    p.add_argument("--weights", help="a pretrained checkpoint to start from (Ultralytics' or a run's best.pt)")
    p.add_argument("--resume", action="store_true", help="go on from --out/last.pt")
    p.add_argument("--val-fraction", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="auto", help="auto, cpu or cuda")
    p.add_argument("--close-mosaic", type=int, default=None, help="epochs at the end without mosaic")
    p.add_argument("--confidence", type=float, default=0.25, help="the server's [ai] confidence")
    p.add_argument("--iou", type=float, default=0.45, help="the server's [ai] iou")
    p.add_argument("--name", default=None, help="the model's name in its card (default: the run's folder)")
    a = p.parse_args(argv)
    if not 320 <= a.size <= 640 or a.size % 32:
        p.error("--size must be a multiple of 32 from 320 to 640")
    if a.epochs < 1 or a.batch < 1 or not 0 < a.val_fraction < 1:
        p.error("--epochs and --batch must be positive, --val-fraction between 0 and 1")
    if a.close_mosaic is None:
        a.close_mosaic = max(1, a.epochs // 10)
    return a


class Ema:
    """Exponential moving average of the weights (what is evaluated and exported): decay
    ramps up over the first updates so the start is not frozen at random weights."""

    def __init__(self, model, decay=0.9999, tau=2000, updates=0):
        import copy
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.decay, self.tau, self.updates = decay, tau, updates

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / self.tau))
        src = model.state_dict()
        for k, v in self.model.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(src[k].detach(), alpha=1 - d)


class Pictures:
    """The data set's pictures decoded once, at the training size on their long side,
    with their boxes in those pixels."""

    def __init__(self, samples, size):
        self.items = []
        for s in samples:
            img = augment.resize_long_side(data.decode(s.image_bytes), size)
            h, w = img.shape[:2]
            self.items.append((img, augment.to_pixels(s.labels, w, h)))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def batch_tensor(pictures, device):
    x = torch.from_numpy(np.stack(pictures)).to(device)
    return x.permute(0, 3, 1, 2).float().div_(255)


def load_pretrained(model, path):
    """Copies every tensor whose name and shape match: all but the class layer when the
    classes differ. A run's best.pt, or an Ultralytics checkpoint (unpickled onto this
    project's layers by the export script's stand-in for the ultralytics package)."""
    import export_yolov8_raw_head as ul
    sys.meta_path.insert(0, ul._UltralyticsStandIn())
    try:
        ckpt = torch.load(path, map_location="cpu")
    except Exception as e:  # a corrupt or foreign file: say which
        raise data.DatasetError("--weights %s: not a checkpoint this trainer can read (%s)" % (path, e))
    if isinstance(ckpt, dict) and "cleanai" in ckpt:
        theirs = ckpt["ema"]
    else:
        net = (ckpt.get("ema") or ckpt.get("model")) if isinstance(ckpt, dict) else ckpt
        if not isinstance(net, yolov8.RoutedModel):
            raise data.DatasetError("--weights %s holds no YOLOv8 detection model" % path)
        layers, _ = yolov8.routed_layers(model)
        theirs = {}
        for i, ours in enumerate(layers):
            for k, v in net.model[i].float().state_dict().items():
                theirs["%s.%s" % (_prefix(model, ours), k)] = v
    mine = model.state_dict()
    copied = 0
    for k, v in theirs.items():
        if k in mine and mine[k].shape == v.shape:
            mine[k].copy_(v)
            copied += 1
    model.load_state_dict(mine)
    return copied, len(mine)


def _prefix(model, module):
    for name, m in model.named_modules():
        if m is module:
            return name
    raise KeyError("layer not in the model")


def evaluate_model(model, val, size, conf, iou, device):
    """Held-out detections at a low threshold (for AP) against the admins' boxes."""
    points, strides = anchor_grid(size, "cpu")
    points, strides = points.numpy(), strides.numpy()
    model.eval()
    per_image = []
    with torch.no_grad():
        for i in range(0, len(val), 8):
            chunk = [val[j] for j in range(i, min(i + 8, len(val)))]
            boxed = [augment.letterbox(img, size)[0] for img, _ in chunk]
            raw = model(batch_tensor(boxed, device)).float().cpu().numpy()
            for (img, boxes), r in zip(chunk, raw):
                truth = boxes.copy()
                h, w = img.shape[:2]
                truth[:, [1, 3]] += (size - w) // 2
                truth[:, [2, 4]] += (size - h) // 2
                per_image.append((evaluate.decode(r, points, strides, 0.001, iou), truth))
    return per_image


class Progress:
    def __init__(self, epochs, steps):
        self.epochs, self.steps = epochs, steps
        self.start = time.monotonic()
        self.done = 0
        self.tty = sys.stderr.isatty()

    def step(self, epoch, i, loss, first_epoch):
        self.done += 1
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * ((self.epochs - first_epoch) * self.steps - self.done)
        line = "epoch %d/%d %3d%% loss %.3f (box %.3f cls %.3f dfl %.3f) %s left" % (
            epoch + 1, self.epochs, 100 * (i + 1) // self.steps, loss.sum(), *loss.tolist(), _clock(left))
        if self.tty:
            print("\r" + line, end="", file=sys.stderr, flush=True)
        elif i + 1 == self.steps:
            print(line, file=sys.stderr, flush=True)

    def end_epoch(self, text):
        print(("\n" if self.tty else "") + text, file=sys.stderr, flush=True)


def _clock(seconds):
    seconds = int(seconds)
    return "%d:%02d:%02d" % (seconds // 3600, seconds % 3600 // 60, seconds % 60)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def train(a):
    torch.set_num_threads(a.threads)
    device = "cuda" if a.device == "auto" and torch.cuda.is_available() else ("cpu" if a.device == "auto" else a.device)
    names, samples = data.load(a.data)
    train_s, val_s = data.split(samples, a.val_fraction, a.seed)
    os.makedirs(a.out, exist_ok=True)
    fingerprint = data.fingerprint(names, samples)
    print("data: %d photos of %d classes (%d training, %d held out), sha256 %s" % (
        len(samples), len(names), len(train_s), len(val_s), fingerprint[:16]), file=sys.stderr)
    with open(os.path.join(a.out, "split.json"), "w") as f:
        json.dump({"seed": a.seed, "val": sorted({s.group for s in val_s})}, f, indent=1)
    train_p, val_p = Pictures(train_s, a.size), Pictures(val_s, a.size)

    torch.manual_seed(a.seed)
    model = yolov8.YOLOv8(nc=len(names), scale=a.scale)
    model.detect.init_biases(a.size)
    start = "scratch"
    if a.weights:
        copied, total = load_pretrained(model, a.weights)
        start = "%s (%d of %d tensors)" % (os.path.basename(a.weights), copied, total)
    model.to(device)
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0}],
                            lr=a.lr, betas=(0.9, 0.999))
    ema = Ema(model)
    loss_fn = YoloLoss(len(names), a.size, device)
    steps = max(1, len(train_p) // a.batch)
    warmup = max(3 * steps, 20)  # three epochs: a small data set should not spend half its steps warming up
    first_epoch, best, best_epoch, seconds = 0, -1.0, 0, 0.0
    last = os.path.join(a.out, "last.pt")
    if a.resume:
        if not os.path.exists(last):
            raise data.DatasetError("--resume: %s does not exist" % last)
        ck = torch.load(last, map_location=device)
        if ck["data_sha256"] != fingerprint:
            raise data.DatasetError("--resume: the data set is not the one %s was trained on" % last)
        model.load_state_dict(ck["model"])
        ema.model.load_state_dict(ck["ema"])
        ema.updates = ck["ema_updates"]
        opt.load_state_dict(ck["optimizer"])
        first_epoch, best, best_epoch, seconds = ck["epoch"] + 1, ck["best"], ck["best_epoch"], ck["seconds"]
        print("resuming after epoch %d" % first_epoch, file=sys.stderr)
    rng = np.random.default_rng(a.seed + first_epoch)
    progress = Progress(a.epochs, steps)
    began = time.monotonic() - seconds
    for epoch in range(first_epoch, a.epochs):
        model.train()
        use_mosaic = epoch < a.epochs - a.close_mosaic
        order = rng.permutation(len(train_p))
        for i in range(steps):
            it = epoch * steps + i
            lr = a.lr * (1 - (1 - 0.01) * epoch / a.epochs) * min(1.0, (it + 1) / warmup)
            for g in opt.param_groups:
                g["lr"] = lr
            pics, targets = [], []
            for j in order[i * a.batch:(i + 1) * a.batch]:
                img, boxes = augment.training_picture(train_p.__getitem__, int(j), len(train_p), rng, a.size, use_mosaic)
                pics.append(img)
                targets.append(torch.from_numpy(boxes).to(device))
            loss, parts = loss_fn(model(batch_tensor(pics, device)), targets)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
            opt.step()
            ema.update(model)
            progress.step(epoch, i, parts.cpu(), first_epoch)
        per_image = evaluate_model(ema.model, val_p, a.size, a.confidence, a.iou, device)
        metrics = evaluate.evaluate(per_image, names, a.confidence)
        fitness = 0.1 * metrics["map50"] + 0.9 * metrics["map50_95"]  # box quality counts most
        if fitness > best:
            best, best_epoch = fitness, epoch + 1
            torch.save({"cleanai": 1, "ema": ema.model.state_dict(), "names": names, "scale": a.scale,
                        "size": a.size, "metrics": metrics, "epoch": epoch + 1}, os.path.join(a.out, "best.pt"))
        progress.end_epoch("epoch %d/%d held-out mAP50 %.3f mAP50-95 %.3f (best epoch %d)" % (
            epoch + 1, a.epochs, metrics["map50"], metrics["map50_95"], best_epoch))
        torch.save({"model": model.state_dict(), "ema": ema.model.state_dict(), "ema_updates": ema.updates,
                    "optimizer": opt.state_dict(), "epoch": epoch, "best": best, "best_epoch": best_epoch,
                    "seconds": time.monotonic() - began, "data_sha256": fingerprint}, last + ".tmp")
        os.replace(last + ".tmp", last)
    seconds = time.monotonic() - began
    return finish(a, names, samples, train_s, val_s, val_p, fingerprint, best_epoch, seconds, device, start)


def finish(a, names, samples, train_s, val_s, val_p, fingerprint, best_epoch, seconds, device, start):
    """The best epoch's weights, exported and described."""
    best = torch.load(os.path.join(a.out, "best.pt"), map_location="cpu")
    model = yolov8.YOLOv8(nc=len(names), scale=a.scale)
    model.load_state_dict(best["ema"])
    model.eval()
    metrics = evaluate.evaluate(evaluate_model(model, val_p, a.size, a.confidence, a.iou, "cpu"), names, a.confidence)
    onnx = os.path.join(a.out, "model.onnx")
    yolov8.export_raw_head(model, onnx, a.size)
    check_export(model, onnx, val_p, a.size, len(names))
    base = onnx[:-5]
    with open(base + ".names", "w") as f:
        f.write("\n".join(names) + "\n")
    with open(base + ".mapping", "w") as f:
        f.write("# class name = CleanAI waste type: the export's classes are the waste types\n")
        f.write("".join("%s = %s\n" % (n, n) for n in names))
    described = {
        "name": a.name or os.path.basename(os.path.normpath(a.out)),
        "classes": names,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "training_seconds": round(seconds, 1),
        "device": device, "threads": a.threads,
        "best_epoch": best_epoch,
        "onnx": os.path.basename(onnx), "onnx_sha256": sha256_file(onnx),
        "input_size": a.size,
        "settings": {"scale": a.scale, "size": a.size, "epochs": a.epochs, "batch": a.batch, "lr": a.lr,
                     "seed": a.seed, "val_fraction": a.val_fraction, "close_mosaic": a.close_mosaic,
                     "augment_scale": 0.5, "augment_translate": 0.1, "nms_iou": a.iou, "start": start},
        "data": {
            "sha256": fingerprint,
            "train": {"photos": len(train_s), "reports": len({s.group for s in train_s}),
                      "classes": data.counts(names, train_s)},
            "val": {"photos": len(val_s), "reports": len({s.group for s in val_s}),
                    "classes": data.counts(names, val_s)},
        },
        "metrics": metrics,
    }
    card.write(base, described)
    print("candidate ready: %s (held-out mAP50 %.3f, mAP50-95 %.3f, agreement %s)" % (
        onnx, metrics["map50"], metrics["map50_95"], metrics["agreement"]), file=sys.stderr)
    return described


def check_export(model, onnx, val, size, nc):
    """The exported file on OpenCV's dnn (the server's engine) must give PyTorch's numbers
    for a held-out picture, in the shape the server expects; else nothing is written."""
    import cv2
    picture = augment.letterbox(val[0][0], size)[0]
    x = batch_tensor([picture], "cpu")
    with torch.no_grad():
        want = model(x).numpy()
    net = cv2.dnn.readNetFromONNX(onnx)
    net.setInput(x.numpy())
    got = net.forward()
    anchors = sum((size // s) ** 2 for s in (8, 16, 32))
    if got.shape != (1, 64 + nc, anchors) or np.abs(got - want).max() > 1e-3:
        os.remove(onnx)
        raise RuntimeError("the exported model gives %s on OpenCV, not PyTorch's [1, %d, %d] "
                           "(largest difference %.3g)" % (got.shape, 64 + nc, anchors,
                                                          np.abs(got - want).max() if got.shape == want.shape else -1))


def main(argv=None):
    a = parse_args(argv)
    try:
        train(a)
    except data.DatasetError as e:
        print("train: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

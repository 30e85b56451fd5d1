# SPDX-License-Identifier: AGPL-3.0-or-later
"""A synthetic detection data set with known boxes, for the tests of the training loop:
filled shapes (circle, triangle, square, ...: one class each, any colour) on noisy,
blotchy backgrounds, one to three per picture, written as JPEG files with YOLO labels.

  python3 ai/make_synthetic_dataset.py OUT_DIR [--images 300] [--seed 1] [--classes plastic,glass,metal]
                                     [--one-class]

OUT_DIR gets data.yaml, images/<id>.jpg and labels/<id>.txt, where <id> looks like a
report id, so the files read exactly like a page of the server's export. --one-class puts
shapes of one class only in each picture, as a report labelled by an admin has one type.
"""
import argparse
import os
import uuid

import cv2
import numpy as np

SHAPES = ("circle", "triangle", "square", "cross")


def background(rng, w, h):
    base = rng.integers(40, 200, 3)
    img = np.empty((h, w, 3), np.float32)
    img[:] = base
    # Low-frequency blotches, then grain.
    small = rng.normal(0, 40, (max(2, h // 40), max(2, w // 40), 3)).astype(np.float32)
    img += cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    img += rng.normal(0, 18, (h, w, 3))
    return img


def draw(img, shape, box, colour):
    x1, y1, x2, y2 = box
    cx, cy = (x1 + x2) // 2, (y1 + y2) // 2
    if shape == "circle":
        cv2.ellipse(img, (cx, cy), ((x2 - x1) // 2, (y2 - y1) // 2), 0, 0, 360, colour, -1, cv2.LINE_AA)
    elif shape == "triangle":
        pts = np.array([[cx, y1], [x2, y2], [x1, y2]], np.int32)
        cv2.fillPoly(img, [pts], colour, cv2.LINE_AA)
    elif shape == "square":
        cv2.rectangle(img, (x1, y1), (x2, y2), colour, -1)
    else:
        t = max(2, (x2 - x1) // 4)
        cv2.rectangle(img, (cx - t, y1), (cx + t, y2), colour, -1)
        cv2.rectangle(img, (x1, cy - t), (x2, cy + t), colour, -1)


def picture(rng, n_classes, one_class=False, w=400, h=300):
    img = background(rng, w, h)
    boxes = []
    only = int(rng.integers(n_classes))
    for _ in range(int(rng.integers(1, 4))):
        for _try in range(20):
            side = int(rng.uniform(0.18, 0.4) * min(w, h))
            bw = int(side * rng.uniform(0.8, 1.25))
            x1, y1 = int(rng.integers(0, w - bw)), int(rng.integers(0, h - side))
            box = (x1, y1, x1 + bw, y1 + side)
            if all(box[2] < b[1] or box[0] > b[3] or box[3] < b[2] or box[1] > b[4] for b in boxes):
                break
        else:
            continue
        c = only if one_class else int(rng.integers(n_classes))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        draw(img, SHAPES[c], box, colour)
        boxes.append((c,) + box)
    img = np.clip(img + rng.normal(0, 6, img.shape), 0, 255).astype(np.uint8)
    return img, boxes


def write(out, images, seed, classes, one_class=False):
    rng = np.random.default_rng(seed)
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    os.makedirs(os.path.join(out, "labels"), exist_ok=True)
    with open(os.path.join(out, "data.yaml"), "w") as f:
        f.write("path: .\ntrain: images\nval: images\nnames:\n")
        f.write("".join("  %d: %s\n" % (i, n) for i, n in enumerate(classes)))
    for _ in range(images):
        img, boxes = picture(rng, len(classes), one_class)
        name = str(uuid.UUID(bytes=rng.bytes(16), version=4))
        h, w = img.shape[:2]
        cv2.imwrite(os.path.join(out, "images", name + ".jpg"), img[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 90])
        with open(os.path.join(out, "labels", name + ".txt"), "w") as f:
            for c, x1, y1, x2, y2 in boxes:
                f.write("%d %.6f %.6f %.6f %.6f\n" % (c, (x1 + x2) / 2 / w, (y1 + y2) / 2 / h, (x2 - x1) / w, (y2 - y1) / h))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--images", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--classes", default="plastic,glass,metal")
    p.add_argument("--one-class", action="store_true", help="one class per picture")
    a = p.parse_args()
    classes = a.classes.split(",")
    if not 2 <= len(classes) <= len(SHAPES):
        p.error("--classes: two to %d names" % len(SHAPES))
    write(a.out, a.images, a.seed, classes, a.one_class)


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: AGPL-3.0-or-later
"""The usual YOLO augmentation, on RGB uint8 pictures and pixel boxes [n, 5] (class, x1, y1,
x2, y2): mosaic of four photos, random scale and translation, HSV jitter, left-right flip.
Validation pictures get only the letterbox, exactly as the server prepares a photo.
"""
import cv2
import numpy as np

GREY = (114, 114, 114)


def resize_long_side(img, size):
    """The picture with its longer side `size` (the server's shrink-on-load does the same)."""
    h, w = img.shape[:2]
    r = size / max(h, w)
    if r == 1:
        return img
    interp = cv2.INTER_AREA if r < 1 else cv2.INTER_LINEAR
    # Rounded half away from zero, as the server's std::lround (Python's round() halves to even).
    return cv2.resize(img, (max(1, int(w * r + 0.5)), max(1, int(h * r + 0.5))), interpolation=interp)


def to_pixels(labels, w, h):
    """Normalised centre boxes [n, 5] -> pixel corner boxes [n, 5]."""
    out = labels.copy()
    out[:, 1] = (labels[:, 1] - labels[:, 3] / 2) * w
    out[:, 2] = (labels[:, 2] - labels[:, 4] / 2) * h
    out[:, 3] = (labels[:, 1] + labels[:, 3] / 2) * w
    out[:, 4] = (labels[:, 2] + labels[:, 4] / 2) * h
    return out


def letterbox(img, size):
    """`img` (already at most `size` on its long side) centred on a grey square, as
    server/ai/detector.cc's LetterboxFor does. Returns the square and the offset."""
    h, w = img.shape[:2]
    out = np.full((size, size, 3), GREY, np.uint8)
    top, left = (size - h) // 2, (size - w) // 2
    out[top:top + h, left:left + w] = img
    return out, (left, top)


def mosaic(pictures, rng, size):
    """Four (picture, pixel boxes) around a random centre on a 2·size square."""
    s = size
    cx, cy = (int(rng.uniform(s * 0.5, s * 1.5)) for _ in range(2))
    canvas = np.full((2 * s, 2 * s, 3), GREY, np.uint8)
    boxes = []
    for i, (img, b) in enumerate(pictures):
        h, w = img.shape[:2]
        if i == 0:    # top left: the picture's bottom right corner at the centre
            x1a, y1a, x2a, y2a = max(cx - w, 0), max(cy - h, 0), cx, cy
            x1b, y1b = w - (x2a - x1a), h - (y2a - y1a)
        elif i == 1:  # top right
            x1a, y1a, x2a, y2a = cx, max(cy - h, 0), min(cx + w, 2 * s), cy
            x1b, y1b = 0, h - (y2a - y1a)
        elif i == 2:  # bottom left
            x1a, y1a, x2a, y2a = max(cx - w, 0), cy, cx, min(2 * s, cy + h)
            x1b, y1b = w - (x2a - x1a), 0
        else:         # bottom right
            x1a, y1a, x2a, y2a = cx, cy, min(cx + w, 2 * s), min(2 * s, cy + h)
            x1b, y1b = 0, 0
        canvas[y1a:y2a, x1a:x2a] = img[y1b:y1b + (y2a - y1a), x1b:x1b + (x2a - x1a)]
        moved = b.copy()
        moved[:, [1, 3]] += x1a - x1b
        moved[:, [2, 4]] += y1a - y1b
        boxes.append(moved)
    boxes = np.concatenate(boxes, 0) if boxes else np.zeros((0, 5), np.float32)
    # Clip to the canvas; the affine step drops what became too small.
    boxes[:, 1:] = boxes[:, 1:].clip(0, 2 * s)
    return canvas, boxes


def random_affine(img, boxes, rng, size, scale=0.5, translate=0.1):
    """Scales by 1 ± `scale`, moves by ± `translate` of the output, and crops the centre of
    `img` to a `size` square. Boxes are moved with it; those left too small or cut to less
    than a tenth of their area are dropped."""
    h, w = img.shape[:2]
    c = np.eye(3)
    c[0, 2], c[1, 2] = -w / 2, -h / 2  # centre to the origin
    s = np.eye(3)
    k = rng.uniform(1 - scale, 1 + scale)
    s[0, 0] = s[1, 1] = k
    t = np.eye(3)
    t[0, 2] = rng.uniform(0.5 - translate, 0.5 + translate) * size
    t[1, 2] = rng.uniform(0.5 - translate, 0.5 + translate) * size
    m = (t @ s @ c)[:2]
    out = cv2.warpAffine(img, m, (size, size), borderValue=GREY)
    if len(boxes) == 0:
        return out, boxes
    corners = np.ones((len(boxes) * 4, 3))
    corners[:, :2] = boxes[:, [1, 2, 3, 4, 1, 4, 3, 2]].reshape(-1, 2)
    xy = (corners @ m.T).reshape(-1, 8)
    x, y = xy[:, [0, 2, 4, 6]], xy[:, [1, 3, 5, 7]]
    moved = np.stack([x.min(1), y.min(1), x.max(1), y.max(1)], 1).clip(0, size)
    keep = _kept(boxes[:, 1:] * k, moved)
    result = np.concatenate([boxes[keep, :1], moved[keep]], 1).astype(np.float32)
    return out, result


def _kept(before, after, min_side=2, min_area=0.1, max_ratio=20):
    w1, h1 = before[:, 2] - before[:, 0], before[:, 3] - before[:, 1]
    w2, h2 = after[:, 2] - after[:, 0], after[:, 3] - after[:, 1]
    ratio = np.maximum(w2 / (h2 + 1e-9), h2 / (w2 + 1e-9))
    return (w2 > min_side) & (h2 > min_side) & (w2 * h2 / (w1 * h1 + 1e-9) > min_area) & (ratio < max_ratio)


def hsv_jitter(img, rng, hgain=0.015, sgain=0.7, vgain=0.4):
    r = rng.uniform(-1, 1, 3) * [hgain, sgain, vgain] + 1
    hue, sat, val = cv2.split(cv2.cvtColor(img, cv2.COLOR_RGB2HSV))
    x = np.arange(256, dtype=np.float32)
    lut_h = ((x * r[0]) % 180).astype(np.uint8)
    lut_s = np.clip(x * r[1], 0, 255).astype(np.uint8)
    lut_v = np.clip(x * r[2], 0, 255).astype(np.uint8)
    merged = cv2.merge((cv2.LUT(hue, lut_h), cv2.LUT(sat, lut_s), cv2.LUT(val, lut_v)))
    return cv2.cvtColor(merged, cv2.COLOR_HSV2RGB)


def flip_lr(img, boxes, size):
    img = np.ascontiguousarray(img[:, ::-1])
    boxes = boxes.copy()
    boxes[:, [1, 3]] = size - boxes[:, [3, 1]]
    return img, boxes


def training_picture(load, index, n, rng, size, use_mosaic):
    """One augmented training picture: `load(i)` gives sample i's (picture at `size` on
    its long side, pixel boxes)."""
    if use_mosaic:
        picks = [index] + [int(rng.integers(n)) for _ in range(3)]
        img, boxes = mosaic([load(i) for i in picks], rng, size)
    else:
        img, boxes = load(index)
        img, (left, top) = letterbox(img, size)
        boxes = boxes.copy()
        boxes[:, [1, 3]] += left
        boxes[:, [2, 4]] += top
    img, boxes = random_affine(img, boxes, rng, size)
    img = hsv_jitter(img, rng)
    if rng.random() < 0.5:
        img, boxes = flip_lr(img, boxes, size)
    return img, boxes

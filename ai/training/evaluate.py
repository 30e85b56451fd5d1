# SPDX-License-Identifier: AGPL-3.0-or-later
"""Detection metrics, computed by the project's own code (tests/test_evaluate.py checks
them against a hand-worked example):

- AP of a class at an IoU threshold: detections of all held-out pictures sorted by
  confidence, each matched greedily to the unmatched ground-truth box of its class it
  overlaps most (at least the threshold); the area under the precision envelope over
  recall (all-point interpolation, as PASCAL VOC since 2010 and COCO's tools in spirit).
- mAP50: the mean AP at IoU 0.5 over the classes that have ground truth; mAP50-95: the
  mean over thresholds 0.50, 0.55, ..., 0.95.
- Precision and recall per class at the server's own thresholds (confidence and NMS IoU
  of [ai] in the config), matched at IoU 0.5.
- Agreement: the share of held-out photos whose proposed type (the most confident box at
  the server's thresholds) is the admin's label (the photo's most frequent class).
"""
import numpy as np

IOU_THRESHOLDS = np.round(np.arange(0.5, 0.96, 0.05), 2)


def iou_matrix(a, b):
    """IoU of corner boxes a [n, 4] against b [m, 4] -> [n, m]."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    ix = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    iy = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    inter = ix * iy
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    # No epsilon: an IoU of exactly 0.5 must count at the 0.5 threshold.
    return np.divide(inter, union, out=np.zeros_like(inter, dtype=float), where=union > 0)


def nms(boxes, scores, classes, iou):
    """Greedy suppression within each class, best first, as server/ai/detector.cc does.
    Returns the kept indices in descending score."""
    order = np.argsort(-scores, kind="stable")
    # Each class moved far from the others, so boxes of two classes never overlap.
    shifted = boxes + classes[:, None] * (np.abs(boxes).max() + 1) * 4
    kept = []
    while order.size:
        i = order[0]
        kept.append(i)
        rest = order[1:]
        order = rest[iou_matrix(shifted[i:i + 1], shifted[rest])[0] <= iou]
    return np.array(kept, dtype=int)


def decode(raw, points, strides, confidence, iou, max_boxes=300):
    """The raw head of one picture [64 + nc, A] (numpy) -> detections [n, 6]: x1, y1, x2, y2
    (pixels of the network input), confidence, class. The same steps as the server: best
    class per anchor, sigmoid, threshold, expected bin × stride, per-class NMS."""
    logits = raw[64:]
    best = logits.argmax(0)
    conf = 1 / (1 + np.exp(-logits[best, np.arange(logits.shape[1])]))
    keep = np.nonzero(conf > confidence)[0]
    if len(keep) > max_boxes * 3:  # the most confident are enough for the top 300
        keep = keep[np.argsort(-conf[keep])[:max_boxes * 3]]
    if len(keep) == 0:
        return np.zeros((0, 6))
    bins = raw[:64, keep].reshape(4, 16, -1)
    e = np.exp(bins - bins.max(1, keepdims=True))
    sides = (e * np.arange(16)[None, :, None]).sum(1) / e.sum(1) * strides[keep, 0][None]
    p = points[keep]
    boxes = np.stack([p[:, 0] - sides[0], p[:, 1] - sides[1], p[:, 0] + sides[2], p[:, 1] + sides[3]], 1)
    kept = nms(boxes, conf[keep], best[keep], iou)[:max_boxes]
    return np.concatenate([boxes[kept], conf[keep][kept, None], best[keep][kept, None]], 1)


def average_precision(recall, precision):
    """Area under the precision envelope (all points)."""
    r = np.concatenate(([0.0], recall, [1.0]))
    p = np.concatenate(([1.0], precision, [0.0]))
    p = np.maximum.accumulate(p[::-1])[::-1]
    steps = np.nonzero(r[1:] != r[:-1])[0]
    return float(np.sum((r[steps + 1] - r[steps]) * p[steps + 1]))


def match(detections, truths, threshold):
    """For each detection (sorted by descending confidence): True when it takes an unmatched
    ground-truth box of its class with IoU >= threshold. detections [n, 6], truths [m, 5]
    (class, x1, y1, x2, y2)."""
    order = np.argsort(-detections[:, 4], kind="stable")
    taken = np.zeros(len(truths), bool)
    hits = np.zeros(len(detections), bool)
    ious = iou_matrix(detections[:, :4], truths[:, 1:5])
    for i in order:
        same = (truths[:, 0] == detections[i, 5]) & ~taken
        if not same.any():
            continue
        cand = np.where(same, ious[i], -1)
        j = int(cand.argmax())
        if cand[j] >= threshold:
            taken[j] = True
            hits[i] = True
    return hits


def class_ap(per_image, cls, threshold):
    """AP of class `cls` over [(detections, truths)] at one IoU threshold; None without
    ground truth of that class."""
    scores, hits = [], []
    n_truth = 0
    for det, truth in per_image:
        t = truth[truth[:, 0] == cls]
        n_truth += len(t)
        d = det[det[:, 5] == cls]
        if len(d):
            scores.append(d[:, 4])
            hits.append(match(d, t, threshold))
    if n_truth == 0:
        return None
    if not scores:
        return 0.0
    scores, hits = np.concatenate(scores), np.concatenate(hits)
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(hits[order])
    fp = np.cumsum(~hits[order])
    return average_precision(tp / n_truth, tp / (tp + fp))


def evaluate(per_image, names, server_conf=0.25):
    """per_image: [(detections [n, 6] at a low confidence, truths [m, 5])]. Returns the
    metrics dict of the model card."""
    nc = len(names)
    ap = np.full((nc, len(IOU_THRESHOLDS)), np.nan)
    for c in range(nc):
        for k, t in enumerate(IOU_THRESHOLDS):
            v = class_ap(per_image, c, t)
            if v is not None:
                ap[c, k] = v
    present = ~np.isnan(ap[:, 0])
    per_class = {}
    agree = total = 0
    for c in range(nc):
        tp = fp = n = 0
        for det, truth in per_image:
            d = det[(det[:, 5] == c) & (det[:, 4] >= server_conf)]
            t = truth[truth[:, 0] == c]
            n += len(t)
            h = match(d, t, 0.5) if len(d) else np.zeros(0, bool)
            tp += int(h.sum())
            fp += int(len(h) - h.sum())
        if n or tp + fp:
            per_class[names[c]] = {
                "truths": n,
                "precision": round(tp / (tp + fp), 4) if tp + fp else None,
                "recall": round(tp / n, 4) if n else None,
                "ap50": None if np.isnan(ap[c, 0]) else round(float(ap[c, 0]), 4),
            }
    for det, truth in per_image:
        if len(truth) == 0:
            continue
        label = np.bincount(truth[:, 0].astype(int)).argmax()
        shown = det[det[:, 4] >= server_conf]
        total += 1
        if len(shown) and int(shown[np.argmax(shown[:, 4]), 5]) == label:
            agree += 1
    return {
        "map50": round(float(np.mean(ap[present, 0])), 4) if present.any() else 0.0,
        "map50_95": round(float(np.mean(ap[present])), 4) if present.any() else 0.0,
        "per_class": per_class,
        "agreement": round(agree / total, 4) if total else None,
        "photos": total,
        "confidence": server_conf,
    }

# SPDX-License-Identifier: AGPL-3.0-or-later
"""The model card: what a candidate model was trained on, how, and how well it did on the
held-out reports — as JSON (the server reads it) and Markdown (people read it)."""
import json


def write(path_base, card):
    with open(path_base + ".card.json", "w") as f:
        json.dump(card, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(path_base + ".card.md", "w") as f:
        f.write(markdown(card))


def _pct(v):
    return "—" if v is None else "%.1f %%" % (100 * v)


def markdown(card):
    m = card["metrics"]
    s = card["settings"]
    d = card["data"]
    lines = [
        "# Model card: %s" % card["name"],
        "",
        "Trained %s in %s on %s (%s threads), from %s." % (
            card["trained_at"], _duration(card["training_seconds"]), card["device"], card["threads"],
            s["start"]),
        "",
        "## How well it does on reports it never saw",
        "",
        "Held out: %d photos of %d reports, chosen by report with seed %d (all photos of "
        "a report on one side)." % (d["val"]["photos"], d["val"]["reports"], s["seed"]),
        "",
        "| | |",
        "|---|---|",
        "| mAP50 | %.3f |" % m["map50"],
        "| mAP50-95 | %.3f |" % m["map50_95"],
        "| agreement with the admins' labels | %s of %d photos |" % (_pct(m["agreement"]), m["photos"]),
        "",
        "Per waste type, at the server's thresholds (confidence %.2f, NMS IoU %.2f), a box "
        "counting when it overlaps an admin's box of its type by IoU 0.5:" % (m["confidence"], s["nms_iou"]),
        "",
        "| type | boxes held out | precision | recall | AP50 |",
        "|---|---|---|---|---|",
    ]
    for name, c in sorted(m["per_class"].items()):
        lines.append("| %s | %d | %s | %s | %s |" % (
            name, c["truths"], _pct(c["precision"]), _pct(c["recall"]),
            "—" if c["ap50"] is None else "%.3f" % c["ap50"]))
    lines += [
        "",
        "## The data",
        "",
        "Data set SHA-256 `%s`: %d photos (%d for training, %d held out)." % (
            d["sha256"], d["train"]["photos"] + d["val"]["photos"], d["train"]["photos"], d["val"]["photos"]),
        "",
        "| type | training photos | training boxes | held-out photos | held-out boxes |",
        "|---|---|---|---|---|",
    ]
    for name in card["classes"]:
        t, v = d["train"]["classes"][name], d["val"]["classes"][name]
        lines.append("| %s | %d | %d | %d | %d |" % (name, t["images"], t["boxes"], v["images"], v["boxes"]))
    lines += [
        "",
        "## Settings",
        "",
        "YOLOv8%s at %d×%d, %d epochs (best: %d), batch %d, AdamW lr %g, mosaic until the last "
        "%d epochs, flips, HSV, scale ±%g, translate ±%g. ONNX `%s` (SHA-256 `%s`)." % (
            s["scale"], s["size"], s["size"], s["epochs"], card["best_epoch"], s["batch"], s["lr"],
            s["close_mosaic"], s["augment_scale"], s["augment_translate"], card["onnx"], card["onnx_sha256"]),
        "",
        "The AI proposes; admins decide. A candidate runs in shadow until an admin promotes it.",
        "",
    ]
    return "\n".join(lines)


def _duration(seconds):
    seconds = int(round(seconds))
    if seconds < 120:
        return "%d s" % seconds
    if seconds < 7200:
        return "%d min %d s" % divmod(seconds, 60)
    return "%d h %d min" % (seconds // 3600, seconds % 3600 // 60)

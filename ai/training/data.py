# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading a YOLO data set (CleanAI's `/api/ai/dataset` tar pages, or a directory with
images/ and labels/ and a data.yaml), checking it, and splitting it by report.

A sample's group is its report: the file name's stem up to the first "_" (the export
names a report's photo `<report id>.jpg`; more photos of one report would be
`<report id>_<n>.jpg`). All photos of one report land on the same side of the split, so
the held-out score is never about a photo whose twin was trained on.
"""
import hashlib
import os
import random
import re
import tarfile

import cv2
import numpy as np

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
MAX_IMAGE_BYTES = 40 * 1024 * 1024


class DatasetError(Exception):
    """The data set cannot be trained on; the message says why and where."""


class Sample:
    def __init__(self, name, image_bytes, labels):
        self.name = name  # images/<stem>.<ext>, as in the archive
        self.image_bytes = image_bytes
        self.labels = labels  # float32 [n, 5]: class, centre x, centre y, width, height (0..1)

    @property
    def group(self):
        stem = os.path.splitext(os.path.basename(self.name))[0]
        return stem.split("_", 1)[0]


def parse_names(yaml_text):
    """The class names of a data.yaml: `names:` followed by `  0: a` lines, or a list."""
    names = {}
    inline = re.search(r"^names:\s*\[(.*)\]\s*$", yaml_text, re.M)
    if inline:
        return [n.strip().strip("'\"") for n in inline.group(1).split(",") if n.strip()]
    block = re.search(r"^names:\s*\n((?:[ \t]+.*\n?)*)", yaml_text, re.M)
    if not block:
        raise DatasetError("data.yaml has no names")
    for line in block.group(1).splitlines():
        m = re.match(r"\s+(\d+)\s*:\s*(.+?)\s*$", line)
        if m:
            names[int(m.group(1))] = m.group(2).strip("'\"")
        elif line.strip().startswith("- "):
            names[len(names)] = line.strip()[2:].strip("'\"")
    if not names or sorted(names) != list(range(len(names))):
        raise DatasetError("data.yaml's names are not numbered 0, 1, 2, ...")
    return [names[i] for i in range(len(names))]


def parse_labels(text, where, nc):
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        try:
            if len(parts) != 5:
                raise ValueError
            c = int(parts[0])
            box = [float(p) for p in parts[1:]]
        except ValueError:
            raise DatasetError("%s:%d: want 'class cx cy w h', got %r" % (where, n, line[:80]))
        if not 0 <= c < nc:
            raise DatasetError("%s:%d: class %d is not in data.yaml's %d names" % (where, n, c, nc))
        if not all(0.0 <= v <= 1.0 for v in box) or box[2] <= 0 or box[3] <= 0:
            raise DatasetError("%s:%d: a box outside the picture or empty" % (where, n))
        rows.append([c] + box)
    return np.array(rows, dtype=np.float32).reshape(-1, 5)


def _read_members(source):
    """{path inside the data set: bytes} for a directory or a tar archive."""
    files = {}
    if os.path.isdir(source):
        for root, _, names in os.walk(source):
            for n in names:
                full = os.path.join(root, n)
                rel = os.path.relpath(full, source).replace(os.sep, "/")
                if os.path.getsize(full) > MAX_IMAGE_BYTES:
                    raise DatasetError("%s: larger than %d MB" % (full, MAX_IMAGE_BYTES >> 20))
                with open(full, "rb") as f:
                    files[rel] = f.read()
        return files
    try:
        with tarfile.open(source) as tar:
            for m in tar.getmembers():
                if not m.isfile():
                    continue
                if m.size > MAX_IMAGE_BYTES:
                    raise DatasetError("%s: %s is larger than %d MB" % (source, m.name, MAX_IMAGE_BYTES >> 20))
                files[m.name.lstrip("./")] = tar.extractfile(m).read()
    except (tarfile.TarError, OSError) as e:
        raise DatasetError("%s: not a directory or a readable tar archive (%s)" % (source, e))
    return files


def load(sources):
    """Reads every source (the pages of one export, or directories) into (names, samples).
    Raises DatasetError for anything a trainer should not guess about."""
    names = None
    samples = {}
    for source in sources:
        files = _read_members(source)
        yaml = files.get("data.yaml")
        if yaml is None:
            raise DatasetError("%s: no data.yaml" % source)
        these = parse_names(yaml.decode("utf-8", "replace"))
        if names is not None and these != names:
            raise DatasetError("%s: its class names differ from the other parts'" % source)
        names = these
        for path, data in files.items():
            if not path.startswith("images/") or not path.lower().endswith(IMAGE_SUFFIXES):
                continue
            stem = os.path.splitext(path[len("images/"):])[0]
            label_path = "labels/%s.txt" % stem
            if label_path not in files:
                continue  # an image without labels is not a training example
            labels = parse_labels(files[label_path].decode("utf-8", "replace"), label_path, len(names))
            samples[path] = Sample(path, data, labels)
    if names is None:
        raise DatasetError("no data set given")
    ordered = [samples[k] for k in sorted(samples)]
    check(names, ordered)
    return names, ordered


def check(names, samples):
    boxes = [s for s in samples if len(s.labels)]
    if not boxes:
        raise DatasetError("the data set has no labelled photos")
    present = sorted({int(c) for s in samples for c in s.labels[:, 0]})
    if len(present) < 2:
        raise DatasetError("the data set has labels of one class only (%s): a detector needs "
                           "at least two to tell apart" % names[present[0]])
    corrupt = [s.name for s in samples if decode(s.image_bytes) is None]
    if corrupt:
        raise DatasetError("%d image(s) cannot be decoded: %s" % (len(corrupt), ", ".join(corrupt[:5])))


def decode(data):
    """RGB uint8 [h, w, 3], or None for bytes that are not an image."""
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if img is None or img.shape[0] < 8 or img.shape[1] < 8:
        return None
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)


def split(samples, val_fraction, seed):
    """(train, val): whole reports on each side, chosen by `seed`, at least one each."""
    groups = sorted({s.group for s in samples})
    if len(groups) < 2:
        raise DatasetError("the data set has photos of %d report(s): need two or more" % len(groups))
    random.Random(seed).shuffle(groups)
    n_val = min(max(1, round(len(groups) * val_fraction)), len(groups) - 1)
    val_groups = set(groups[:n_val])
    train = [s for s in samples if s.group not in val_groups]
    val = [s for s in samples if s.group in val_groups]
    return train, val


def fingerprint(names, samples):
    """SHA-256 of the class names and every image and label, in name order."""
    h = hashlib.sha256()
    h.update("\n".join(names).encode())
    for s in samples:
        h.update(s.name.encode() + b"\0")
        h.update(hashlib.sha256(s.image_bytes).digest())
        h.update(s.labels.tobytes())
    return h.hexdigest()


def counts(names, samples):
    """{class name: {"images": n, "boxes": n}} over `samples`."""
    out = {n: {"images": 0, "boxes": 0} for n in names}
    for s in samples:
        classes = s.labels[:, 0].astype(int)
        for c in set(classes.tolist()):
            out[names[c]]["images"] += 1
        for c in classes.tolist():
            out[names[c]]["boxes"] += 1
    return out

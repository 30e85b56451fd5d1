# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading and splitting a data set: whole reports on each side of the split, fixed by the
seed, and a clear error for a data set that cannot be trained on."""
import io
import os
import sys
import tarfile
import tempfile
import unittest

import cv2
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from training import data  # noqa: E402

YAML = "path: .\ntrain: images\nval: images\nnames:\n  0: plastic\n  1: glass\n  2: metal\n"


def jpeg(seed=0):
    img = np.random.default_rng(seed).integers(0, 255, (48, 64, 3)).astype(np.uint8)
    return cv2.imencode(".jpg", img)[1].tobytes()


def write_tar(path, files):
    with tarfile.open(path, "w") as tar:
        for name, content in files.items():
            b = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(b)
            tar.addfile(info, io.BytesIO(b))


class Reading(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def tar(self, files, name="page.tar"):
        path = os.path.join(self.dir.name, name)
        write_tar(path, files)
        return path

    def test_pages_of_the_export_read_as_one_data_set(self):
        one = self.tar({"data.yaml": YAML, "images/r1.jpg": jpeg(1), "labels/r1.txt": "0 0.5 0.5 0.2 0.2\n"}, "1.tar")
        two = self.tar({"data.yaml": YAML, "images/r2.jpg": jpeg(2), "labels/r2.txt": "1 0.5 0.5 0.4 0.2\n",
                        "images/r3.jpg": jpeg(3)}, "2.tar")  # r3 has no labels: not an example
        names, samples = data.load([one, two])
        self.assertEqual(names, ["plastic", "glass", "metal"])
        self.assertEqual([s.name for s in samples], ["images/r1.jpg", "images/r2.jpg"])
        np.testing.assert_allclose(samples[1].labels, [[1, 0.5, 0.5, 0.4, 0.2]])
        self.assertEqual(data.counts(names, samples)["glass"], {"images": 1, "boxes": 1})

    def assertRefused(self, files, words):
        with self.assertRaises(data.DatasetError) as e:
            data.load([self.tar(files)])
        for w in words:
            self.assertIn(w, str(e.exception))

    def test_an_empty_data_set_is_refused(self):
        self.assertRefused({"data.yaml": YAML}, ["no labelled photos"])

    def test_one_class_only_is_refused(self):
        self.assertRefused({"data.yaml": YAML, "images/a.jpg": jpeg(), "labels/a.txt": "2 0.5 0.5 0.1 0.1\n",
                            "images/b.jpg": jpeg(), "labels/b.txt": "2 0.4 0.5 0.1 0.1\n"},
                           ["one class only", "metal"])

    def test_a_corrupt_image_is_named(self):
        self.assertRefused({"data.yaml": YAML, "images/a.jpg": jpeg(), "labels/a.txt": "0 0.5 0.5 0.1 0.1\n",
                            "images/bad.jpg": b"\xff\xd8 not a jpeg", "labels/bad.txt": "1 0.5 0.5 0.1 0.1\n"},
                           ["cannot be decoded", "images/bad.jpg"])

    def test_bad_label_lines_are_named_with_their_line(self):
        self.assertRefused({"data.yaml": YAML, "images/a.jpg": jpeg(), "labels/a.txt": "0 0.5 0.5 0.1\n"},
                           ["labels/a.txt:1", "class cx cy w h"])
        self.assertRefused({"data.yaml": YAML, "images/a.jpg": jpeg(), "labels/a.txt": "\n7 0.5 0.5 0.1 0.1\n"},
                           ["labels/a.txt:2", "class 7"])
        self.assertRefused({"data.yaml": YAML, "images/a.jpg": jpeg(), "labels/a.txt": "0 0.5 0.5 1.5 0.1\n"},
                           ["outside the picture"])

    def test_no_data_yaml_or_not_an_archive(self):
        self.assertRefused({"images/a.jpg": jpeg()}, ["no data.yaml"])
        path = os.path.join(self.dir.name, "junk.tar")
        with open(path, "wb") as f:
            f.write(b"junk" * 100)
        with self.assertRaises(data.DatasetError):
            data.load([path])


class Splitting(unittest.TestCase):
    def samples(self):
        out = []
        for r in range(20):
            for k in range(3 if r % 4 == 0 else 1):  # some reports have several photos
                name = "images/report%02d%s.jpg" % (r, "_%d" % k if k else "")
                out.append(data.Sample(name, b"", np.zeros((1, 5), np.float32)))
        return out

    def test_all_photos_of_a_report_are_on_one_side_and_the_seed_fixes_which(self):
        s = self.samples()
        train, val = data.split(s, 0.2, seed=7)
        self.assertEqual(len({x.group for x in val}), 4)
        self.assertFalse({x.group for x in train} & {x.group for x in val})
        self.assertEqual(len(train) + len(val), len(s))
        again, _ = data.split(s, 0.2, seed=7)
        self.assertEqual([x.name for x in train], [x.name for x in again])
        other, _ = data.split(s, 0.2, seed=8)
        self.assertNotEqual([x.name for x in train], [x.name for x in other])

    def test_one_report_cannot_be_split(self):
        with self.assertRaises(data.DatasetError):
            data.split([data.Sample("images/r_%d.jpg" % i, b"", np.zeros((1, 5))) for i in range(3)], 0.2, 0)


if __name__ == "__main__":
    unittest.main()

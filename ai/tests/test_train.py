# SPDX-License-Identifier: AGPL-3.0-or-later
"""ai/train.py through its command line, on tiny synthetic sets (a few seconds a run): it
writes everything the server needs, goes on from its last epoch, starts from an
Ultralytics checkpoint, and refuses a data set it cannot learn from with exit status 2.
(That it *learns* is web/e2e/ai-learning.test.mjs's job: held-out mAP50 >= 0.8.)"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

AI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PY = "/usr/bin/python3"


def run(*args):
    return subprocess.run([PY, os.path.join(AI, "train.py"), *args, "--size", "320", "--batch", "8",
                           "--threads", "2"], capture_output=True, text=True, timeout=600)


class TrainCommand(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data = os.path.join(cls.tmp.name, "data")
        subprocess.run([PY, os.path.join(AI, "make_synthetic_dataset.py"), cls.data, "--images", "24",
                        "--seed", "5"], check=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_a_run_writes_the_model_its_files_and_its_card_and_resumes(self):
        out = os.path.join(self.tmp.name, "run")
        first = run("--data", self.data, "--out", out, "--epochs", "2", "--scale", "t")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("epoch 2/2", first.stderr)
        self.assertIn("left", first.stderr)  # the progress line says how long is left
        for name in ("model.onnx", "model.names", "model.mapping", "model.card.json", "model.card.md",
                     "last.pt", "best.pt", "split.json"):
            self.assertTrue(os.path.exists(os.path.join(out, name)), name)
        with open(os.path.join(out, "model.card.json")) as f:
            card = json.load(f)
        self.assertEqual(card["input_size"], 320)
        self.assertEqual(card["classes"], ["plastic", "glass", "metal"])
        self.assertEqual(card["data"]["train"]["photos"] + card["data"]["val"]["photos"], 24)
        self.assertEqual(len(card["data"]["sha256"]), 64)
        self.assertEqual(card["settings"]["start"], "scratch")
        self.assertIn("map50", card["metrics"])
        with open(os.path.join(out, "model.mapping")) as f:
            self.assertIn("glass = glass", f.read())
        # Resumed: epoch 3 only, after the two done.
        again = run("--data", self.data, "--out", out, "--epochs", "3", "--scale", "t", "--resume")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("resuming after epoch 2", again.stderr)
        self.assertNotIn("epoch 1/3", again.stderr)
        self.assertIn("epoch 3/3", again.stderr)
        # Another data set cannot continue this run.
        other = os.path.join(self.tmp.name, "other")
        subprocess.run([PY, os.path.join(AI, "make_synthetic_dataset.py"), other, "--images", "12", "--seed", "6"],
                       check=True)
        refused = run("--data", other, "--out", out, "--epochs", "4", "--scale", "t", "--resume")
        self.assertEqual(refused.returncode, 2)
        self.assertIn("not the one", refused.stderr)

    def test_it_starts_from_an_ultralytics_checkpoint(self):
        ckpt = os.path.join(self.tmp.name, "yolov8n.pt")
        subprocess.run([PY, os.path.join(AI, "make_ultralytics_checkpoint.py"), ckpt], check=True,
                       capture_output=True)
        out = os.path.join(self.tmp.name, "pretrained")
        r = run("--data", self.data, "--out", out, "--epochs", "1", "--scale", "n", "--weights", ckpt)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "model.card.json")) as f:
            start = json.load(f)["settings"]["start"]
        # "yolov8n.pt (N of M tensors)": three classes there and here, so every tensor
        # (another number of classes would leave the class layers to learn from scratch).
        copied, total = [int(x) for x in start.split("(")[1].split(" tensors")[0].split(" of ")]
        self.assertEqual(copied, total, start)
        self.assertGreater(total, 300, start)

    def test_a_data_set_it_cannot_learn_from_is_exit_status_2_with_the_reason(self):
        one = os.path.join(self.tmp.name, "one-class")
        subprocess.run([PY, os.path.join(AI, "make_synthetic_dataset.py"), one, "--images", "6",
                        "--classes", "plastic,glass", "--one-class", "--seed", "2"], check=True)
        # Every box made plastic.
        for name in os.listdir(os.path.join(one, "labels")):
            path = os.path.join(one, "labels", name)
            with open(path) as f:
                lines = ["0 " + line.split(" ", 1)[1] for line in f if line.strip()]
            with open(path, "w") as f:
                f.writelines(lines)
        r = run("--data", one, "--out", os.path.join(self.tmp.name, "x"), "--epochs", "1", "--scale", "t")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("one class only", r.stderr)
        bad = subprocess.run([PY, os.path.join(AI, "train.py"), "--data", one, "--out",
                              os.path.join(self.tmp.name, "y"), "--size", "333"], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("multiple of 32", bad.stderr)


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: AGPL-3.0-or-later
"""The metrics against a hand-worked example (the arithmetic is in the comments), and the
decoding against a raw head whose answer is known."""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from training import evaluate  # noqa: E402
from training.loss import anchor_grid  # noqa: E402


def det(x1, y1, x2, y2, conf, cls):
    return [x1, y1, x2, y2, conf, cls]


# Two pictures. A: two class-0 boxes. B: a class-0 box and a class-1 box.
TRUTH_A = np.array([[0, 0, 0, 10, 10], [0, 20, 20, 30, 30]], float)
TRUTH_B = np.array([[0, 0, 0, 10, 10], [1, 40, 40, 60, 60]], float)
DETS_A = np.array([
    det(70, 70, 80, 80, 0.95, 2),  # class 2 has no ground truth: a false positive, outside mAP
    det(0, 0, 10, 10, 0.9, 0),     # d1: IoU 1 with A's first box
    det(21, 21, 31, 31, 0.8, 0),   # d2: IoU 81/119 = 0.681 with A's second box
    det(50, 50, 60, 60, 0.7, 0),   # d3: overlaps nothing
])
DETS_B = np.array([
    det(0, 0, 10, 5, 0.6, 0),      # d4: IoU 50/100 = 0.5 exactly with B's class-0 box
    det(0, 0, 10, 10, 0.5, 0),     # d5: IoU 1 with the same box
    det(40, 40, 60, 60, 0.3, 1),   # d6: IoU 1 with B's class-1 box
])
PER_IMAGE = [(DETS_A, TRUTH_A), (DETS_B, TRUTH_B)]


class HandWorkedExample(unittest.TestCase):
    def test_ap_of_class_0_at_each_threshold(self):
        # IoU 0.5: d1 TP, d2 TP, d3 FP, d4 TP (0.5 counts), d5 FP (its box is taken).
        # recall 1/3 2/3 2/3 1 1, precision 1 1 2/3 3/4 3/5; the envelope at recall 1 is
        # 3/4, so AP = 1/3·1 + 1/3·1 + 1/3·3/4 = 11/12.
        self.assertAlmostEqual(evaluate.class_ap(PER_IMAGE, 0, 0.5), 11 / 12)
        # IoU 0.55–0.65: d4 becomes FP and d5 takes the box: recall 1/3 2/3 2/3 2/3 1,
        # precision 1 1 2/3 1/2 3/5: AP = 1/3 + 1/3 + 1/3·3/5 = 13/15.
        for t in (0.55, 0.6, 0.65):
            self.assertAlmostEqual(evaluate.class_ap(PER_IMAGE, 0, t), 13 / 15)
        # IoU 0.7 and up: d2 is FP too: TPs d1 and d5; AP = 1/3·1 + 1/3·2/5 = 7/15.
        for t in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
            self.assertAlmostEqual(evaluate.class_ap(PER_IMAGE, 0, t), 7 / 15)

    def test_precision_is_its_envelope(self):
        # TP, FP, TP, TP of three boxes: recall 1/3 1/3 2/3 1, precision 1 1/2 2/3 3/4. At
        # recall 2/3 the envelope is 3/4 (a later point is better): 1/3 + 1/3·3/4 + 1/3·3/4.
        ap = evaluate.average_precision(np.array([1, 1, 2, 3]) / 3, np.array([1, 1 / 2, 2 / 3, 3 / 4]))
        self.assertAlmostEqual(ap, 5 / 6)

    def test_a_class_without_ground_truth_has_no_ap(self):
        self.assertIsNone(evaluate.class_ap(PER_IMAGE, 2, 0.5))

    def test_the_model_card_metrics(self):
        m = evaluate.evaluate(PER_IMAGE, ["plastic", "glass", "metal"], server_conf=0.25)
        # mAP50 over the classes with ground truth: (11/12 + 1) / 2.
        self.assertAlmostEqual(m["map50"], round((11 / 12 + 1) / 2, 4))
        # mAP50-95: class 0 is (11/12 + 3·13/15 + 6·7/15) / 10, class 1 is 1.
        class0 = (11 / 12 + 3 * 13 / 15 + 6 * 7 / 15) / 10
        self.assertAlmostEqual(m["map50_95"], round((class0 + 1) / 2, 4))
        # At the server's threshold (all seven are above 0.25), matched at IoU 0.5:
        # plastic 3 TP of 5, all 3 found; glass 1 of 1; metal's one box is wrong.
        self.assertEqual(m["per_class"]["plastic"], {"truths": 3, "precision": 0.6, "recall": 1.0, "ap50": 0.9167})
        self.assertEqual(m["per_class"]["glass"], {"truths": 1, "precision": 1.0, "recall": 1.0, "ap50": 1.0})
        self.assertEqual(m["per_class"]["metal"], {"truths": 0, "precision": 0.0, "recall": None, "ap50": None})
        # Agreement: A's label is plastic, its most confident box says metal; B's label
        # (plastic and glass tie: the first) is plastic, its best box says plastic: 1 of 2.
        self.assertEqual((m["agreement"], m["photos"]), (0.5, 2))

    def test_a_higher_server_threshold_drops_the_weak_boxes_from_precision_and_recall(self):
        m = evaluate.evaluate(PER_IMAGE, ["plastic", "glass", "metal"], server_conf=0.65)
        # Left: d1, d2, d3 of plastic (2 TP, 1 FP), none of glass.
        self.assertEqual(m["per_class"]["plastic"]["precision"], round(2 / 3, 4))
        self.assertEqual(m["per_class"]["plastic"]["recall"], round(2 / 3, 4))
        self.assertEqual(m["per_class"]["glass"]["recall"], 0.0)
        self.assertIsNone(m["per_class"]["glass"]["precision"])
        # The AP does not depend on the server's threshold.
        self.assertAlmostEqual(m["map50"], round((11 / 12 + 1) / 2, 4))


class Decoding(unittest.TestCase):
    def test_one_anchor_with_known_bins_decodes_as_the_server_does(self):
        size = 64
        points, strides = anchor_grid(size, "cpu")
        points, strides = points.numpy(), strides.numpy()
        nc = 2
        raw = np.full((64 + nc, len(points)), -20.0)
        a = 9  # stride 8, grid 8×8: x 1, y 1, centre (12, 12)
        self.assertEqual(tuple(points[a]), (12.0, 12.0))
        raw[:64, a] = 0
        for side, b in enumerate((2, 2, 3, 3)):  # left, top, right, bottom: in bins
            raw[side * 16 + b, a] = 30.0
        raw[64 + 1, a] = 2.0  # class 1, sigmoid 0.881
        out = evaluate.decode(raw, points, strides, confidence=0.25, iou=0.45)
        self.assertEqual(out.shape, (1, 6))
        np.testing.assert_allclose(out[0, :4], [12 - 16, 12 - 16, 12 + 24, 12 + 24], atol=1e-6)
        self.assertAlmostEqual(out[0, 4], 1 / (1 + np.exp(-2.0)))
        self.assertEqual(out[0, 5], 1)
        # Below the threshold: nothing.
        self.assertEqual(len(evaluate.decode(raw, points, strides, confidence=0.9, iou=0.45)), 0)

    def test_nms_keeps_the_best_of_overlapping_boxes_of_one_class_only(self):
        boxes = np.array([[0, 0, 10, 10], [1, 0, 11, 10], [0, 0, 10, 10], [50, 50, 60, 60]], float)
        scores = np.array([0.8, 0.9, 0.7, 0.6])
        classes = np.array([0, 0, 1, 0])
        self.assertEqual(evaluate.nms(boxes, scores, classes, 0.45).tolist(), [1, 2, 3])


if __name__ == "__main__":
    unittest.main()

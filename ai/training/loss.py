# SPDX-License-Identifier: AGPL-3.0-or-later
"""YOLOv8's training loss on the raw head [B, 64 + nc, A], written from its paper trail
(TOOD's task-aligned assignment, GFL's distribution focal loss, CIoU):

- every ground-truth box takes the `topk` anchors whose centres lie inside it and whose
  alignment (class score^alpha · IoU^beta) is highest; an anchor claimed by two boxes
  stays with the one it overlaps most;
- classification: binary cross-entropy against the alignment, normalised per box so its
  best anchor's target is that anchor's IoU;
- box: 1 − CIoU and the distribution focal loss on the four side distances, both weighted
  by the same targets.
"""
import math

import torch
import torch.nn.functional as F

REG_MAX = 16
STRIDES = (8, 16, 32)


def anchor_grid(size, device):
    """Anchor centres (in pixels) and strides, in the raw head's order."""
    points, strides = [], []
    for s in STRIDES:
        g = size // s
        ys, xs = torch.meshgrid(torch.arange(g, device=device), torch.arange(g, device=device), indexing="ij")
        points.append(torch.stack(((xs + 0.5) * s, (ys + 0.5) * s), -1).reshape(-1, 2))
        strides.append(torch.full((g * g, 1), float(s), device=device))
    return torch.cat(points).float(), torch.cat(strides)


def decode_sides(box_logits):
    """[B, A, 64] logits -> [B, A, 4] expected bins (left, top, right, bottom)."""
    b, a, _ = box_logits.shape
    p = box_logits.view(b, a, 4, REG_MAX).softmax(-1)
    return p @ torch.arange(REG_MAX, dtype=p.dtype, device=p.device)


def box_iou(a, b, eps=1e-9):
    """IoU of corner boxes broadcast over leading dimensions."""
    ix = (torch.min(a[..., 2], b[..., 2]) - torch.max(a[..., 0], b[..., 0])).clamp(0)
    iy = (torch.min(a[..., 3], b[..., 3]) - torch.max(a[..., 1], b[..., 1])).clamp(0)
    inter = ix * iy
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    return inter / (area_a + area_b - inter + eps)


def ciou(a, b, eps=1e-7):
    """Complete IoU: IoU less the centre distance over the enclosing diagonal and an
    aspect-ratio term."""
    iou = box_iou(a, b, eps)
    cw = torch.max(a[..., 2], b[..., 2]) - torch.min(a[..., 0], b[..., 0])
    ch = torch.max(a[..., 3], b[..., 3]) - torch.min(a[..., 1], b[..., 1])
    c2 = cw ** 2 + ch ** 2 + eps
    rho2 = ((a[..., 0] + a[..., 2] - b[..., 0] - b[..., 2]) ** 2 +
            (a[..., 1] + a[..., 3] - b[..., 1] - b[..., 3]) ** 2) / 4
    w1, h1 = a[..., 2] - a[..., 0], a[..., 3] - a[..., 1] + eps
    w2, h2 = b[..., 2] - b[..., 0], b[..., 3] - b[..., 1] + eps
    v = (4 / math.pi ** 2) * (torch.atan(w2 / h2) - torch.atan(w1 / h1)) ** 2
    with torch.no_grad():
        alpha = v / (v - iou + (1 + eps))
    return iou - (rho2 / c2 + v * alpha)


@torch.no_grad()
def assign(scores, pred_boxes, points, gt_cls, gt_boxes, gt_mask, topk=10, alpha=0.5, beta=6.0, eps=1e-9):
    """Task-aligned assignment. scores [B, A, C] (sigmoid), pred_boxes [B, A, 4] and
    points [A, 2] in pixels, gt_cls [B, M], gt_boxes [B, M, 4], gt_mask [B, M].
    Returns fg [B, A] (bool), target boxes [B, A, 4], target scores [B, A, C]."""
    b, a, c = scores.shape
    m = gt_boxes.shape[1]
    if m == 0:
        return (torch.zeros(b, a, dtype=torch.bool), torch.zeros(b, a, 4), torch.zeros(b, a, c))
    # Anchor centres inside each box: [B, M, A].
    lt = points[None, None] - gt_boxes[:, :, None, :2]
    rb = gt_boxes[:, :, None, 2:] - points[None, None]
    inside = (torch.cat((lt, rb), -1).amin(-1) > eps) & gt_mask[:, :, None]
    overlaps = box_iou(gt_boxes[:, :, None, :], pred_boxes[:, None, :, :]).clamp(0) * inside
    cls_index = gt_cls.long().clamp(0, c - 1)
    box_scores = torch.gather(scores.transpose(1, 2), 1, cls_index[:, :, None].expand(b, m, a))
    align = box_scores.pow(alpha) * overlaps.pow(beta) * inside
    # The top k aligned anchors of each box.
    k = min(topk, a)
    top = align.topk(k, dim=-1).indices
    chosen = torch.zeros_like(align, dtype=torch.bool).scatter_(-1, top, True)
    pos = chosen & inside & (align > 0)
    # An anchor claimed twice goes to the box it overlaps most.
    claimed = pos.sum(1) > 1
    if claimed.any():
        best = overlaps.argmax(1)
        only = F.one_hot(best, m).permute(0, 2, 1).bool()
        pos = torch.where(claimed[:, None, :], only & pos.any(1, keepdim=True), pos)
    fg = pos.any(1)
    owner = pos.float().argmax(1)  # [B, A]
    target_boxes = torch.gather(gt_boxes, 1, owner[..., None].expand(b, a, 4))
    target_cls = torch.gather(cls_index, 1, owner)
    # Alignment normalised per box: its best anchor's target is that anchor's best IoU.
    align = align * pos
    norm = (align * (overlaps * pos).amax(-1, keepdim=True) / (align.amax(-1, keepdim=True) + eps)).amax(1)
    target_scores = F.one_hot(target_cls, c).float() * (norm * fg)[..., None]
    return fg, target_boxes, target_scores


class YoloLoss:
    def __init__(self, nc, size, device="cpu", box=7.5, cls=0.5, dfl=1.5):
        self.nc = nc
        self.gains = (box, cls, dfl)
        self.points, self.strides = anchor_grid(size, device)

    def __call__(self, raw, targets):
        """raw [B, 64 + nc, A]; targets: a list of [n, 5] tensors (class, x1, y1, x2, y2 in
        pixels) per picture. Returns (total, (box, cls, dfl) detached)."""
        raw = raw.permute(0, 2, 1)
        box_logits, cls_logits = raw[..., :4 * REG_MAX], raw[..., 4 * REG_MAX:]
        b = raw.shape[0]
        sides = decode_sides(box_logits)  # in strides
        anchor = self.points / self.strides  # in strides
        pred = torch.cat((anchor - sides[..., :2], anchor + sides[..., 2:]), -1)
        m = max([len(t) for t in targets] + [0])
        gt_cls = torch.zeros(b, m)
        gt_boxes = torch.zeros(b, m, 4)
        gt_mask = torch.zeros(b, m, dtype=torch.bool)
        for i, t in enumerate(targets):
            if len(t):
                gt_cls[i, :len(t)] = t[:, 0]
                gt_boxes[i, :len(t)] = t[:, 1:]
                gt_mask[i, :len(t)] = True
        fg, target_boxes, target_scores = assign(
            cls_logits.detach().sigmoid(), pred.detach() * self.strides, self.points,
            gt_cls, gt_boxes, gt_mask)
        total = max(target_scores.sum(), 1.0)
        loss_cls = F.binary_cross_entropy_with_logits(cls_logits, target_scores, reduction="sum") / total
        loss_box = loss_dfl = raw.new_zeros(())
        if fg.any():
            weight = target_scores.sum(-1)[fg]
            tb = target_boxes / self.strides  # in strides
            loss_box = ((1 - ciou(pred[fg], tb[fg])) * weight).sum() / total
            sides_t = torch.cat((anchor - tb[..., :2], tb[..., 2:] - anchor), -1)[fg].clamp(0, REG_MAX - 1.01)
            loss_dfl = (_dfl(box_logits[fg].view(-1, REG_MAX), sides_t.view(-1)).view(-1, 4).mean(-1) * weight).sum() / total
        g_box, g_cls, g_dfl = self.gains
        parts = torch.stack((loss_box * g_box, loss_cls * g_cls, loss_dfl * g_dfl))
        return parts.sum(), parts.detach()


def _dfl(logits, target):
    """Distribution focal loss: cross-entropy to the two bins around each target, weighted
    by nearness."""
    left = target.long()
    right = left + 1
    wl = right - target
    wr = 1 - wl
    return (F.cross_entropy(logits, left, reduction="none") * wl +
            F.cross_entropy(logits, right, reduction="none") * wr)

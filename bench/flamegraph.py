#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A flame graph as a static SVG from `perf script` output (no JavaScript, so it shows
as an image in docs/performance.md).

Each sample's stack is folded root-first ("a;b;c"), identical stacks are counted, and
every frame is drawn as a box as wide as the samples that passed through it, callers
below callees. Colours say the layer a frame belongs to (kernel, SQL, JSON, HTTP,
allocation, ...) by name; bench/profile_reads.sh sums its self-time table with the same
patterns (--layers), so the graph and the table agree. Debian packages no flame-graph tool; this is the classic layout.

  perf script -i perf.data | bench/flamegraph.py --title "by id" > by-id.svg
  bench/flamegraph.py --folded stacks.txt > out.svg     # "a;b;c 12" lines
"""
import argparse
import html
import re
import sys
from collections import defaultdict

LAYERS = [  # (name, colour, pattern): the first match wins
    ("kernel", "#e8a25c", r"\[k\]|^0x|entry_SYSCALL|syscall|^tcp_|^__sys_|^do_|epoll|^sock_|"
     r"^__x64|^ip_|^__netif|^net_rx|^__softirq|^schedule|^finish_task_switch|^__schedule"),
    ("SQL", "#6a9fd4", r"sqlite3|Sqlite|^pq|PQ|Postgres|Row::|Connection::|Database::"),
    ("JSON", "#7fc97f", r"boost::json|Json|serialize|Serializer|format_double|ryu"),
    ("auth, hashing", "#c08ad8", r"Authenticat|Jwt|JWT|Session|hmac|sha256|EVP_|crypto_|blake2"),
    ("HTTP, sockets", "#f2d16b", r"beast|asio|http::|Http|Router|parser|WriteResponse|Serve"),
    ("logging, metrics", "#b0b0b0", r"Log|Metric|Histogram|Counter|snprintf|strftime"),
    ("allocation, copying", "#e5736f", r"malloc|free|_int_|operator new|operator delete|^_?mi_|"
     r"realloc|memcpy|memmove|memset|strlen"),
    ("locks", "#8dd3c7", r"mutex|pthread_|futex|__lll_"),
]
OTHER = ("other", "#d9d9d9")
LAYER_RES = [(name, colour, re.compile(p)) for name, colour, p in LAYERS]


def layer_of(frame):
    for name, colour, rx in LAYER_RES:
        if rx.search(frame):
            return name, colour
    return OTHER


def layer_table(lines):
    """Shares by layer from `perf report` self-time lines ("12.5<TAB>[.] symbol"), largest first."""
    shares = defaultdict(float)
    for line in lines:
        share, _, symbol = line.rstrip("\n").partition("\t")
        if symbol:
            shares[layer_of(symbol.replace("[.] ", "", 1))[0]] += float(share)
    return sorted(shares.items(), key=lambda kv: -kv[1])


def clean(symbol):
    """A frame's name without offset and arguments: 'ns::Cls::Fn(int) const+0x1f' -> 'ns::Cls::Fn'."""
    symbol = re.sub(r"\+0x[0-9a-f]+$", "", symbol)
    # Drop the parameter list (the outermost parentheses at the end), keep templates.
    depth = 0
    for i in range(len(symbol) - 1, -1, -1):
        c = symbol[i]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                head = symbol[:i]
                if head and not head.endswith("operator"):
                    symbol = head
                break
    return symbol.strip() or "[unknown]"


def fold_perf_script(lines, root_at=None):
    """Folded stacks from `perf script`: a header line, then one frame per line, leaf first.
    With `root_at` (a regular expression), each stack starts at its first frame that
    matches it, so that threads started differently but running the same loop merge."""
    stacks = defaultdict(int)
    frames = []
    in_sample = False
    root_rx = re.compile(root_at) if root_at else None

    def flush():
        if frames:
            path = frames[::-1]
            if root_rx:
                path = next((path[i:] for i, f in enumerate(path) if root_rx.search(f)), path)
            stacks[";".join(path)] += 1

    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if in_sample:
                flush()
            frames, in_sample = [], False
            continue
        if not line[0].isspace():  # "comm pid [cpu] time: period event:"
            if in_sample:
                flush()
            frames, in_sample = [], True
            continue
        # "\t    7f12ab symbol+0x12 (/usr/lib/x86_64-linux-gnu/libc.so.6)"
        parts = line.strip().split(" ", 1)
        if len(parts) < 2:
            continue
        sym = re.sub(r" \([^()]*\)$", "", parts[1])
        if sym == "[unknown]":
            dso = re.search(r"\(([^()]*)\)$", parts[1])
            sym = "[" + dso.group(1).rsplit("/", 1)[-1] + "]" if dso else "[unknown]"
        sym = clean(sym)
        if parts[1].endswith("([kernel.kallsyms])"):
            sym += " [k]"
        frames.append(sym)
    if in_sample:
        flush()
    return stacks


def read_folded(lines):
    stacks = defaultdict(int)
    for line in lines:
        line = line.strip()
        if line:
            stack, _, count = line.rpartition(" ")
            stacks[stack] += int(count)
    return stacks


class Node:
    __slots__ = ("name", "value", "children")

    def __init__(self, name):
        self.name, self.value, self.children = name, 0, {}


def build_tree(stacks):
    root = Node("all")
    for stack, count in stacks.items():
        root.value += count
        node = root
        for frame in stack.split(";"):
            node = node.children.setdefault(frame, Node(frame))
            node.value += count
    return root


def render(root, title, width=1200, row=16, min_px=0.3):
    depth = [0]

    def measure(node, d):
        depth[0] = max(depth[0], d)
        for c in node.children.values():
            measure(c, d + 1)

    measure(root, 0)
    top = 40
    height = top + (depth[0] + 1) * row + 40
    scale = (width - 20) / max(root.value, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Verdana, sans-serif" font-size="11">',
        f'<rect width="100%" height="100%" fill="#fbfbf8"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">{html.escape(title)}</text>',
    ]
    legend_x = 10
    for name, colour in [(n, c) for n, c, _ in LAYERS] + [OTHER]:
        out.append(f'<rect x="{legend_x}" y="{height - 22}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{legend_x + 16}" y="{height - 12}">{html.escape(name)}</text>')
        legend_x += 24 + 7 * len(name)

    def draw(node, x, d):
        w = node.value * scale
        if w < min_px:
            return
        y = height - 40 - (d + 1) * row
        _, colour = layer_of(node.name) if d else ("all", "#cccccc")
        share = 100.0 * node.value / root.value
        label = f"{node.name} ({node.value} samples, {share:.1f} %)"
        out.append(f'<g><title>{html.escape(label)}</title>'
                   f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{row - 1}" fill="{colour}" rx="2"/>')
        chars = int((w - 6) / 6.5)
        if chars >= 3:
            text = node.name if len(node.name) <= chars else node.name[: chars - 2] + ".."
            out.append(f'<text x="{x + 3:.2f}" y="{y + row - 4}">{html.escape(text)}</text>')
        out.append("</g>")
        cx = x
        for child in sorted(node.children.values(), key=lambda n: n.name):
            draw(child, cx, d + 1)
            cx += child.value * scale

    draw(root, 10, 0)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--title", default="Flame graph")
    ap.add_argument("--folded", help="read folded stacks from this file instead of perf script on stdin")
    ap.add_argument("--write-folded", help="also write the folded stacks here")
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--root-at", help="start each stack at its first frame matching this regex")
    ap.add_argument("--layers", help="instead: print shares by layer of a perf report self-time TSV")
    args = ap.parse_args()
    if args.layers:
        with open(args.layers) as f:
            for name, share in layer_table(f):
                print(f"  {share:6.1f}%  {name}")
        return
    if args.folded:
        with open(args.folded) as f:
            stacks = read_folded(f)
    else:
        stacks = fold_perf_script(sys.stdin, args.root_at)
    if not stacks:
        sys.exit("flamegraph: no samples with stacks in the input")
    if args.write_folded:
        with open(args.write_folded, "w") as f:
            for stack, count in sorted(stacks.items()):
                f.write(f"{stack} {count}\n")
    sys.stdout.write(render(build_tree(stacks), args.title, args.width))


if __name__ == "__main__":
    main()

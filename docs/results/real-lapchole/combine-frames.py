#!/usr/bin/env python3
"""Per-tool average precision of several crops of the same frames combined: a tool's score on a frame is its highest
probability over the crops. Reads the TSVs `evaluate --frames` writes (one per crop, rows in the same order).

    combine-frames.py EXIT FRAMES.tsv [FRAMES.tsv ...]

AP as `evaluate` computes it: non-interpolated, tied scores one step, over the frames whose truth is known."""
import sys


def read(path):
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return rows[0], rows[1:]


def average_precision(scored):
    positives = sum(1 for _, y in scored if y)
    if positives == 0 or positives == len(scored):
        return float("nan")
    scored.sort(key=lambda p: -p[0])
    ap, tp, i = 0.0, 0, 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        gained = sum(1 for _, y in scored[i:j] if y)
        tp += gained
        if gained:
            ap += gained / positives * tp / j
        i = j
    return ap


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    exit_, paths = sys.argv[1], sys.argv[2:]
    tables = [read(p) for p in paths]
    head, first = tables[0]
    if any(len(rows) != len(first) for _, rows in tables):
        sys.exit("error: the tables have different numbers of frames")
    tools = [h[len("truth_"):] for h in head if h.startswith("truth_")]
    results = []
    for tool in tools:
        p, t = head.index("p%s_%s" % (exit_, tool)), head.index("truth_" + tool)
        scored = [(max(float(rows[i][p]) for _, rows in tables), first[i][t] == "1")
                  for i in range(len(first)) if first[i][t] != ""]
        results.append((tool, average_precision(scored)))
    print("exit %s, %d frames, max over %d crop(s): %s" % (
        exit_, len(first), len(paths), ", ".join("%s AP %.3f" % r for r in results)))


main()

#!/usr/bin/env python3
"""Average two runs' weights ("weight averaging" of a run and its continuation), choosing the mix on held-out images.

Two runs of the same architecture that share a start (a run and its continuation with `gpu_train.py --init`) lie
in one basin of the loss, so their average is often a better network than either. For each mix (the share of the
second run's weights), every tensor is (1 - mix) * first + mix * second; batch-norm statistics are averaged too, not
re-estimated: they were collected on augmented images (crops, cutout), and re-estimating them on plain images made
the network worse. Each mix is scored on the held-out images (every N-th training image per class, the run's
--holdout-every); the one whose exit 4 scores best is written as weights.bin (EMAW version 1) with a meta.json,
ready for `import-weights`. Test accuracy is reported for the chosen mix only.

  average_weights.py --first A/weights.bin --second B/weights.bin --meta A/meta.json --data DATA --cache DIR \\
      --mixes 0.25,0.4,0.5,0.6,0.75 --out OUT
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpu_train as g  # noqa: E402  (the network, the EMAW format and the data loading are gpu_train.py's)


def mixed(first, second, mix):
    return {k: ((1.0 - mix) * first[k] + mix * second[k]).astype(np.float32) for k in first}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--first", required=True, help="weights.bin of the first run (version 1 or 2)")
    p.add_argument("--second", required=True, help="weights.bin of the second run, same architecture")
    p.add_argument("--meta", required=True, help="the first run's meta.json: architecture, classes, normalisation")
    p.add_argument("--second-meta", help="the second run's meta.json, to record its command")
    p.add_argument("--data", required=True, help="the runs' data (folder with train/ and test/, or its .tar.gz)")
    p.add_argument("--cache", help="folder of decoded images (gpu_train.py's --cache)")
    p.add_argument("--mixes", default="0.25,0.4,0.5,0.6,0.75",
                   type=lambda v: [float(x) for x in v.split(",")], help="shares of the second run to try")
    p.add_argument("--out", required=True, help="folder for weights.bin and meta.json")
    args = p.parse_args()
    if any(not 0.0 <= m <= 1.0 for m in args.mixes):
        p.error("every mix must be in [0, 1]")

    meta = json.load(open(args.meta))
    every = int(meta.get("holdoutEvery") or 0)
    if every < 2:
        sys.exit("error: %s records no held-out images (holdoutEvery); the mix must not be chosen on the test set"
                 % args.meta)
    arch = meta["architecture"]
    first, second = g.read_emaw(args.first), g.read_emaw(args.second)
    if set(first) != set(second) or any(first[k].shape != second[k].shape for k in first):
        sys.exit("error: %s and %s are not the same architecture" % (args.first, args.second))

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    xtr, ytr, xte, yte, classes = g.load_data(g.extracted(args.data, args.cache), args.cache)
    if list(classes) != list(meta["classes"]):
        sys.exit("error: the data's classes %s are not the run's %s" % (classes, meta["classes"]))
    held = g.holdout_mask(ytr, every, len(classes))
    x_held, y_held = torch.from_numpy(xtr[held]).to(device), torch.from_numpy(ytr[held]).to(device)
    mean = torch.tensor(meta["mean"], device=device)
    std = torch.tensor(meta["std"], device=device)
    model = g.MultiExitResNet18(arch["width"], arch["inputSize"], arch["numClasses"], arch["stem"]).to(device)
    try:
        model.load_tensors(first, args.first)
    except ValueError as e:  # the weights are not the network that --meta describes
        sys.exit("error: %s (architecture from %s)" % (e, args.meta))

    scores = []
    for mix in args.mixes:
        t0 = time.time()
        model.load_tensors(mixed(first, second, mix), "mix %.2f" % mix)
        acc = g.evaluate(model, x_held, y_held, mean, std, False, precise=True)
        scores.append((acc[3], mix, acc))
        print("mix %.2f: held out %s (%.0f s)" % (mix, " ".join("%.4f" % a for a in acc), time.time() - t0),
              flush=True)
    # best exit 4 on the held-out images; a tie goes to the mix nearer the middle (the usual average)
    _, best, held_acc = max(scores, key=lambda s: (round(s[0], 6), -abs(s[1] - 0.5)))
    model.load_tensors(mixed(first, second, best), "mix %.2f" % best)
    test_acc = g.evaluate(model, torch.from_numpy(xte).to(device), torch.from_numpy(yte).to(device), mean, std,
                          False, precise=True)
    print("chose mix %.2f: held out %s, test %s" % (best, " ".join("%.4f" % a for a in held_acc),
                                                  " ".join("%.4f" % a for a in test_acc)), flush=True)

    os.makedirs(args.out, exist_ok=True)
    g.write_emaw(model, os.path.join(args.out, "weights.bin"))
    out = dict(meta)
    second_command = json.load(open(args.second_meta)).get("command") if args.second_meta else args.second
    # import-weights keeps "command" in the artifact's provenance: name both runs there
    out["command"] = "python3 tools/gpu-training/average_weights.py %s (mix %.2f of: %s; and: %s)" % (
        " ".join(sys.argv[1:]), best, meta.get("command"), second_command)
    out["averagedFrom"] = {"first": meta.get("command"), "second": second_command, "mix": best,
                           "heldOutExit4ByMix": {"%.2f" % m: round(a, 4) for a, m, _ in scores}}
    out["metrics"] = {**{"exit%d.testAccuracy" % (e + 1): a for e, a in enumerate(test_acc)},
                      **{"exit%d.holdoutAccuracy" % (e + 1): a for e, a in enumerate(held_acc)},
                      "mix": best}
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(out, f, indent=2)
    print("wrote", args.out)


if __name__ == "__main__":
    main()

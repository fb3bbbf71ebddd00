#!/usr/bin/env bash
# CIFAR-10 (or any folder data set) on one GPU: several gpu_train.py runs side by side (they share its time: one call
# tries several recipes), then the best run of each width by held-out accuracy packed for copying back: its weights.bin
# in 15 MB pieces (OUTDIR/NAME.weights.bin.partNN), every run's log, meta.json and log.json in OUTDIR/runs.tgz.
#
#   tools/gpu-training/cifar_gpu_grid.sh DATA OUTDIR [BUDGET_SECONDS] [EXTRA gpu_train.py ARGS...]
#
# DATA: the .tar.gz (or a folder with train/ and test/). Every run uses the seed's recipe and leaves every 10th training
# image per class out: the runs are ranked on those images (test accuracy is reported, not used to choose), and the
# routers are fitted on them afterwards (routers --holdout-every 10). EXTRA (e.g. --limit 2000 --batch 128 --width 4
# for a smoke test on a CPU) is appended to every run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
data=$1 out=$2 budget=${3:-400}
shift $(( $# < 3 ? $# : 3 ))
extra=("$@")
py=${PYTHON:-python3}
runs=/tmp/grid-runs cache=/tmp/grid-cache
export PYTHONUNBUFFERED=1
rm -rf "$runs"  # a warm machine keeps /tmp: an earlier call's runs must not be ranked again (the cache stays)
mkdir -p "$runs" "$out"
start=$(date +%s)
"$py" "$here/gpu_train.py" --data "$data" --cache "$cache" --out "$runs/prep" --prepare || exit 1
echo "data ready in $(( $(date +%s) - start )) s"

# name, then the flags that differ; an artifact under 50 MB holds width 64 only with float16 kernels (import-weights
# --weight-precision FLOAT16: 29 MB instead of 57), width 48 either way (15 or 30 MB)
variants=(
  "w32 --width 32"
  "w32-cutout --width 32 --cutout 16"
  "w48-cutout --width 48 --cutout 16"
  "w48-cutout-ls --width 48 --cutout 16 --label-smoothing 0.1"
)
# VARIANTS (one "name flags..." a line) replaces the list
if [ -n "${VARIANTS:-}" ]; then mapfile -t variants <<< "$VARIANTS"; fi
pids=()
for v in "${variants[@]}"; do
  read -r name flags <<< "$v"
  # shellcheck disable=SC2086 # flags are words
  "$py" "$here/gpu_train.py" --data "$data" --cache "$cache" --out "$runs/$name" --recipe seed --holdout-every 10 \
      --time-budget "$budget" --eval-every 10 $flags "${extra[@]}" > "$runs/$name.log" 2>&1 &
  pids+=($!)
done
(sleep 90; command -v nvidia-smi > /dev/null && nvidia-smi > "$runs/nvidia-smi.txt") > /dev/null 2>&1 &
smi=$!
wait "${pids[@]}"
kill "$smi" 2> /dev/null
echo "runs done in $(( $(date +%s) - start )) s"

"$py" - "$runs" "$out" <<'EOF'
import json, os, subprocess, sys
runs, out = sys.argv[1], sys.argv[2]
rows = []
for name in sorted(os.listdir(runs)):
    meta = os.path.join(runs, name, "meta.json")
    if name == "prep" or not os.path.exists(meta):
        continue
    m = json.load(open(meta))
    met, width = m["metrics"], m["architecture"]["width"]
    rows.append((met.get("exit4.holdoutAccuracy", 0), name, width, met))
    print("%-16s width %2d  %3d epochs %5.0f s%s  test %s  held out %s" % (
        name, width, met["epochs"], met["trainSeconds"], " STOPPED EARLY" if met.get("stoppedEarly") else "",
        " ".join("%.4f" % met["exit%d.testAccuracy" % e] for e in range(1, 5)),
        " ".join("%.4f" % met.get("exit%d.holdoutAccuracy" % e, 0) for e in range(1, 5))))
# the best run of each width by exit 4's held-out accuracy brings its weights back, split into 15 MB pieces
best = {}
for acc, name, width, _ in sorted(rows, reverse=True):
    best.setdefault(width, name)
for width, name in best.items():
    print("bringing back", name)
    subprocess.run("split -b 15M -d '%s' '%s/%s.weights.bin.part'" % (os.path.join(runs, name, "weights.bin"), out, name),
                   shell=True, check=True)
subprocess.run("cd '%s' && tar czf '%s/runs.tgz' --exclude=weights.bin --exclude=prep *" % (runs, out), shell=True,
               check=True)
EOF
ls -la "$out"

#!/usr/bin/env bash
# Generated laparoscopic frames on a GPU machine, then gpu_train.py runs on them. The GPU machine needs no JDK or Maven:
# the generator runs there from a copy of target/classes on a jlinked runtime (it needs only java.desktop), and
# cifar_gpu_grid.sh trains the runs side by side and brings back the best of each width by held-out accuracy.
#
#   tools/gpu-training/surgical_gpu.sh JRE_TXZ CLASSES OUTDIR BUDGET_SECONDS SIZE PER_CLASS [EXTRA gpu_train.py ARGS...]
#
# JRE_TXZ: `jlink --add-modules java.base,java.desktop ...` packed with tar -J (README.md beside this script says how);
# CLASSES: a copy of target/classes. The frames are `generate images --per-class PER_CLASS --test-per-class 100
# --size SIZE --seed 101 --assistant` (the assistant's instrument among the difficulty factors), byte for byte as
# this project's CLI makes them, so the test and routing sets can be made again anywhere from their seeds. VARIANTS
# (one "name flags..." a line, as cifar_gpu_grid.sh) defaults to one width-16 run; EXTRA is appended to every run
# after --stem COMPACT. TOTAL_SECONDS, when set, caps the training budget so that the whole script (frames, decoding,
# training, packing) ends within it: how long the frames take depends on the machine's cores.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 6 ]; then
  echo "usage: $0 JRE_TXZ CLASSES OUTDIR BUDGET_SECONDS SIZE PER_CLASS [EXTRA gpu_train.py ARGS...]" >&2
  exit 2
fi
jre_txz=$1 classes=$2 out=$3 budget=$4 size=$5 per_class=$6
shift 6
work=/tmp/surgical-gpu
start=$(date +%s)
rm -rf "$work" && mkdir -p "$work" && tar xJf "$jre_txz" -C "$work" || exit 1
java=$(ls "$work"/*/bin/java 2> /dev/null | head -1)
[ -x "$java" ] || { echo "no bin/java in $jre_txz" >&2; exit 1; }
frames=$work/frames-$size
"$java" -cp "$classes" ai.emadaptive.generate.ImageSetGenerator "$frames" "$per_class" 100 "$size" 101 assistant || exit 1
elapsed=$(( $(date +%s) - start ))
echo "frames ready in $elapsed s: $(( per_class * 6 )) training frames of ${size} px"
if [ -n "${TOTAL_SECONDS:-}" ]; then
  # 100 s for decoding, loading, evaluation and packing; gpu_train.py may run 15% past its budget
  fit=$(( (TOTAL_SECONDS - elapsed - 100) * 100 / 115 ))
  [ "$fit" -lt "$budget" ] && { echo "training budget cut from $budget s to $fit s to end within $TOTAL_SECONDS s"; budget=$fit; }
  [ "$budget" -gt 30 ] || { echo "no time left to train" >&2; exit 1; }
fi
export VARIANTS=${VARIANTS:-"w16 --width 16"}
exec bash "$here/cifar_gpu_grid.sh" "$frames" "$out" "$budget" --stem COMPACT "$@"

#!/usr/bin/env bash
# Builds the real-footage training and test folders (Cholec80 layout: clips with <clip>-tool.txt beside them) from
# the shared clips and the by-eye labels in labels/ (one row per second of clip). Rows are written every STEP frames
# between two labelled seconds that agree, and within STEP frames of a labelled second where they differ.
#
#   make-data.sh SHARED OUT [TEST_VIDEOS] [STEP]
#   SHARED       the real-lapchole folder (clips/, clips.csv)
#   OUT          gets OUT/train and OUT/test (symbolic links to the clips, and tool files)
#   TEST_VIDEOS  source videos held out for testing, comma-separated (default VID05,VID18,VID25)
#   STEP         frame step of the rows (default 5)
#   TOOLS        (environment) the tools to label, comma-separated (default grasper,bipolar,hook: the others are too
#                rare in the clips to learn)
set -euo pipefail
shared=${1:?usage: make-data.sh SHARED OUT [TEST_VIDEOS] [STEP]}
out=${2:?usage: make-data.sh SHARED OUT [TEST_VIDEOS] [STEP]}
test_videos=${3:-VID05,VID18,VID25}
step=${4:-5}
tools=${TOOLS:-grasper,bipolar,hook}
here=$(cd "$(dirname "$0")" && pwd)
shared=$(cd "$shared" && pwd)
[ -f "$shared/clips.csv" ] || { echo "error: $shared/clips.csv not found (the real-lapchole folder?)" >&2; exit 2; }
rm -rf "$out/train" "$out/test"
mkdir -p "$out/train" "$out/test"
tail -n +2 "$shared/clips.csv" | while IFS=, read -r file _ _ _ _ video _; do
    stem=$(basename "$file" .mp4)
    labels="$here/labels/$stem.tsv"
    [ -f "$labels" ] || { echo "error: no labels for $stem ($labels)" >&2; exit 2; }
    split=train
    case ",$test_videos," in *",$video,"*) split=test ;; esac
    ln -s "$shared/$file" "$out/$split/$stem.mp4"
    awk -v step="$step" -v tools="$tools" '
        BEGIN { FS = OFS = "\t"; nt = split(tools, want, ",") }
        NR == 1 { for (i = 2; i <= NF; i++) col[$i] = i; next }
        { n++; frame[n] = $1; row = ""
          for (t = 1; t <= nt; t++) row = row (t > 1 ? OFS : "") $(col[want[t]]); lab[n] = row }
        END {
            header = "Frame"
            for (t = 1; t <= nt; t++) header = header OFS name[want[t]]
            print header
            for (i = 1; i <= n; i++) {
                last = i < n ? frame[i + 1] : frame[i] + 25
                for (f = frame[i]; f < last; f += step) {
                    if (i < n && lab[i] != lab[i + 1]) {
                        if (f - frame[i] <= step) print f, lab[i]
                        else if (frame[i + 1] - f <= step) print f, lab[i + 1]
                    } else print f, lab[i]
                }
            }
        }
        BEGIN { name["grasper"] = "Grasper"; name["bipolar"] = "Bipolar"; name["hook"] = "Hook"; name["scissors"] = "Scissors"
                name["clipper"] = "Clipper"; name["irrigator"] = "Irrigator"; name["specimen_bag"] = "SpecimenBag" }
    ' "$labels" > "$out/$split/$stem-tool.txt"
done
for s in train test; do
    echo "$s: $(ls "$out/$s"/*.mp4 | wc -l) clips, $(cat "$out/$s"/*-tool.txt | grep -vc '^Frame') labelled frames"
done

#!/usr/bin/env bash
# Builds the real-footage training and test folders (Cholec80 layout: clips with <clip>-tool.txt beside them) from
# the shared clips and the by-eye labels in labels.tsv (one row per second of clip). Rows are written every STEP frames
# between two labelled seconds that agree, and within STEP frames of a labelled second where they differ.
#
#   make-data.sh SHARED OUT [TEST_VIDEOS] [ROUTER_CLIPS] [STEP]
#   SHARED        the real-lapchole folder (clips/, clips.csv)
#   OUT           gets OUT/train, OUT/test and OUT/routers (symbolic links to the clips, and tool files)
#   TEST_VIDEOS   source videos held out for testing, comma-separated (default VID05,VID18,VID25; "none" for none)
#   ROUTER_CLIPS  clips (file names without .mp4) held out of training for fitting routers, thresholds and the
#                 uncertainty calibration, comma-separated (default none)
#   STEP          frame step of the rows (default 5)
#   TOOLS        (environment) the tools to label, comma-separated (default grasper,bipolar,hook: the others are too
#                rare in the clips to learn)
set -euo pipefail
usage="usage: make-data.sh SHARED OUT [TEST_VIDEOS] [ROUTER_CLIPS] [STEP]"
shared=${1:?$usage}
out=${2:?$usage}
test_videos=${3:-VID05,VID18,VID25}
router_clips=${4:-none}
step=${5:-5}
tools=${TOOLS:-grasper,bipolar,hook}
here=$(cd "$(dirname "$0")" && pwd)
shared=$(cd "$shared" && pwd)
[ -f "$shared/clips.csv" ] || { echo "error: $shared/clips.csv not found (the real-lapchole folder?)" >&2; exit 2; }
rm -rf "$out/train" "$out/test" "$out/routers"
mkdir -p "$out/train" "$out/test" "$out/routers"
tail -n +2 "$shared/clips.csv" | while IFS=, read -r file _ _ _ _ video _; do
    stem=$(basename "$file" .mp4)
    grep -q "^$stem"$'\t' "$here/labels.tsv" || { echo "error: no labels for $stem in $here/labels.tsv" >&2; exit 2; }
    split=train
    case ",$test_videos," in *",$video,"*) split=test ;; esac
    case ",$router_clips," in *",$stem,"*) split=routers ;; esac
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
    ' <(awk -F '\t' -v clip="$stem" 'NR == 1 || $1 == clip' "$here/labels.tsv" | cut -f 2-) > "$out/$split/$stem-tool.txt"
done
for s in train routers test; do
    n=$(find "$out/$s" -name '*.mp4' | wc -l)
    if [ "$n" -eq 0 ]; then rmdir "$out/$s"; echo "$s: none"; continue; fi
    echo "$s: $n clips, $(cat "$out/$s"/*-tool.txt | grep -vc '^Frame') labelled frames"
done

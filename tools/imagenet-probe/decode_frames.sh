#!/usr/bin/env bash
# For finetune.py: every 5th frame (n%5==0, 0-based, as the label rows are) of each clip of the splits foldA/B/C,
# the whole frame at 256x144 as JPEG, OUT/<clip>/%04d.jpg holding frame 5*i (25 MB for the 20 clips).
set -euo pipefail
OUT=${OUT:-frames}; DATA=${DATA:-data}
for v in $(ls $DATA/fold{A,B,C}/{train,test}/*.mp4 | xargs -n1 basename | sort -u); do
  c=${v%.mp4}
  [ -d "$OUT/$c" ] && continue
  mkdir -p "$OUT/$c"
  ffmpeg -loglevel error -threads 1 -y -i "$(ls $DATA/fold*/*/$v | head -1)" \
    -vf "select='not(mod(n\,5))',scale=256:144:flags=area" -vsync 0 -q:v 3 -start_number 0 "$OUT/$c/%04d.jpg"
  echo "$c $(ls $OUT/$c | wc -l) frames"
done

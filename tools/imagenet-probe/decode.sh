#!/usr/bin/env bash
# Decode every 5th frame (n%5==0, 0-based; all labelled indices are multiples of 5, feature script picks row idx/5) of each unique clip in foldA/B/C
# into two 224x224 RGB24 raw variants: crop (centred 480x480 -> 224) and lbox (854x480 -> 224x126, padded with ImageNet mean).
set -euo pipefail
OUT=${OUT:-frames}; DATA=${DATA:-data}; mkdir -p "$OUT"
for txt in $(ls $DATA/fold{A,B,C}/{train,test}/*-tool.txt); do
  c=$(basename "$txt" -tool.txt)
  [ -f $OUT/$c.lbox.rgb ] && continue
  v=$(dirname "$txt")/$c.mp4
  tail -n +2 "$txt" | cut -f1 > $OUT/$c.idx
  OMP_NUM_THREADS=1 ffmpeg -loglevel error -threads 1 -y -i "$v" -filter_complex \
    "[0:v]select='not(mod(n\,5))',split=2[a][b];[a]crop=480:480,scale=224:224:flags=area[ca];[b]scale=224:126:flags=area,pad=224:224:0:49:color=0x7C7568[lb]" \
    -map '[ca]' -vsync 0 -f rawvideo -pix_fmt rgb24 $OUT/$c.crop.rgb \
    -map '[lb]' -vsync 0 -f rawvideo -pix_fmt rgb24 $OUT/$c.lbox.rgb
  n=$(wc -l < $OUT/$c.idx); s=$(stat -c %s $OUT/$c.crop.rgb)
  echo "$c labels=$n decoded=$((s/150528)) maxidx=$(tail -1 $OUT/$c.idx)"
done

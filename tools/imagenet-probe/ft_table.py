"""Markdown table of finetune.py results: last-epoch AP on the held-out videos per split, and the fit on training frames.

    python3 ft_table.py LABEL=results.json [LABEL=results.json ...]
"""
import json, sys
import numpy as np

print('| run | split (tested on) | grasper | bipolar | hook | grasper+hook | 1-tool | grasper+hook on its training frames |')
print('| --- | --- | --- | --- | --- | --- | --- | --- |')
means = []
for arg in sys.argv[1:]:
    label, path = arg.split('=', 1)
    runs = json.load(open(path))['runs']
    for r in runs:
        f, t = r['final'], r['trainFit']
        ap = f['ap']
        bip = '-' if ap['Bipolar'] != ap['Bipolar'] else f"{ap['Bipolar']:.3f}"
        print(f"| {label}, {r['init']} | {', '.join(v.upper() for v in r['testVideos'])} | {ap['Grasper']:.3f} | {bip} | "
              f"{ap['Hook']:.3f} | {f['mapGrasperHook']:.3f} | {f['oneToolAccuracy']:.1%} | {t['mapGrasperHook']:.3f} |")
    for init in sorted({r['init'] for r in runs}):
        m = [r['final']['mapGrasperHook'] for r in runs if r['init'] == init]
        means.append(f'{label}, {init}: mean grasper+hook mAP {np.mean(m):.3f} over {len(m)} splits')
print()
print('\n'.join(means))

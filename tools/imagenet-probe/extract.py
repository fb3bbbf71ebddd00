# Extract pooled conv3/conv4/conv5 features for every labelled frame of every unique clip; variant order: crop (all clips), then lbox.
import os, sys, glob, time, numpy as np, torch
torch.set_num_threads(1)
from resnet_port import KerasGraph, preprocess
m = KerasGraph().eval()
clips = sorted({os.path.basename(t)[:-9]: t for t in glob.glob(os.environ.get('DATA', 'data') + '/fold[ABC]/*/*-tool.txt')}.items())
variants = sys.argv[1:] or ['crop', 'lbox']
for var in variants:
    for c, txt in clips:
        out = f'feats/{c}.{var}.npz'
        if os.path.exists(out): continue
        lab = np.loadtxt(txt, skiprows=1, dtype=np.int64)
        hdr = open(txt).readline().split()
        idx = lab[:, 0]; assert (idx % 5 == 0).all()
        raw = np.fromfile(f'frames/{c}.{var}.rgb', np.uint8).reshape(-1, 224, 224, 3)
        x = raw[idx // 5]
        feats = {'conv3': [], 'conv4': [], 'conv5': []}
        t0 = time.time()
        with torch.inference_mode():
            for s in range(0, len(x), 16):
                o = m(preprocess(x[s:s + 16]))
                for k in feats: feats[k].append(o[k].numpy())
        dt = time.time() - t0
        np.savez(out, idx=idx, labels=lab[:, 1:], tools=np.array(hdr[1:]), **{k: np.concatenate(v) for k, v in feats.items()})
        print(f'{var} {c} {len(x)} frames {dt:.1f}s {dt/len(x)*1000:.0f} ms/frame', flush=True)

# Gather per-clip npz into feats/all_{variant}_{level}.npy plus feats/all_meta.npz (clip, video, frame idx, labels G/B/H), same row order for every file.
import glob, re, os, numpy as np
cl = sorted({os.path.basename(p).rsplit('.', 2)[0] for p in glob.glob('feats/*.crop.npz')})
meta = dict(clip=[], video=[], idx=[], labels=[])
for var in ['crop', 'lbox']:
    F = {k: [] for k in ['conv3', 'conv4', 'conv5']}
    for c in cl:
        z = np.load(f'feats/{c}.{var}.npz')
        for k in F: F[k].append(z[k])
        if var == 'crop':
            n = len(z['idx']); meta['clip'] += [c] * n; meta['video'] += [re.search(r'vid\d+', c).group()] * n
            meta['idx'].append(z['idx']); meta['labels'].append(z['labels'])
    for k, v in F.items(): np.save(f'feats/all_{var}_{k}.npy', np.concatenate(v).astype(np.float32))
np.savez('feats/all_meta.npz', clip=np.array(meta['clip']), video=np.array(meta['video']), idx=np.concatenate(meta['idx']),
         labels=np.concatenate(meta['labels']), tools=np.array(['Grasper', 'Bipolar', 'Hook']))
print(len(meta['clip']), 'rows')

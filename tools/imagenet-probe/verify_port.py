# Verify the port: (1) top-5 ImageNet classes on a natural photo; (2) compare with tfjs's own runtime (ref outputs from ref_tfjs.js).
import os, sys, json, time, numpy as np, torch
torch.set_num_threads(1)
from resnet_port import WDIR, KerasGraph, preprocess
labels = json.load(open(os.path.join(os.path.dirname(WDIR), 'assets', 'labels.json')))
m = KerasGraph().eval()
x = np.fromfile('verify_inputs.rgb', np.uint8).reshape(-1, 224, 224, 3)
with torch.inference_mode():
    t0 = time.time(); o = m(preprocess(x)); dt = time.time() - t0
print(f'{len(x)} images {dt:.2f}s = {dt/len(x):.3f}s/img (1 thread, batch {len(x)})')
p = o['prob'].numpy()
for i, r in enumerate(p):
    top = np.argsort(-r)[:5]; print(i, [(int(j), labels[str(j)], round(float(r[j]), 3)) for j in top])
np.save('verify_torch_feat.npy', o['conv5'].numpy()); np.save('verify_torch_prob.npy', p)
import os
if os.path.exists('verify_tfjs.f32'):
    ref = np.fromfile('verify_tfjs.f32', np.float32).reshape(len(x), -1)
    rf, rp = ref[:, :2048], ref[:, 2048:]
    f = o['conv5'].numpy()
    print('tfjs vs torch avg_pool: max abs diff', np.abs(f - rf).max(), 'rel', np.abs(f - rf).max() / np.abs(rf).max(),
          'cos', [round(float(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)), 6) for a, b in zip(f, rf)])
    print('tfjs vs torch prob: max abs diff', np.abs(p - rp).max(), 'argmax equal', (p.argmax(1) == rp.argmax(1)).tolist())

"""Pack the tfjs ResNet50 weights small enough to travel to a GPU machine with the frames (a 64 MiB limit).

The ImageNet classifier (fc1000) is dropped; every convolution kernel is stored as int8 with one float32 scale per
output channel (symmetric, scale = max |w| / 127); biases and batch-norm tensors stay float32. 98 MB become 24 MB.
`--check FRAMES_DIR` compares the pooled features of the float and the dequantized network on a few frames.

    RESNET_DIR=.../ResNet50 python3 pack_weights.py OUT.npz [--check frames]
"""
import argparse, copy, glob, json, numpy as np, torch
from resnet_port import load_weights, KerasGraph, preprocess


def pack(out):
    layers, W = load_weights()
    arrays = {'layers.json': np.frombuffer(json.dumps(layers).encode(), np.uint8)}
    for name, w in W.items():
        if name.startswith('fc1000/'):
            continue
        if name.endswith('/kernel'):  # HWIO: one scale per output channel (last axis)
            scale = np.maximum(np.abs(w).max(axis=(0, 1, 2)), 1e-12) / 127.0
            arrays[name + '.q'] = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
            arrays[name + '.scale'] = scale.astype(np.float32)
        else:
            arrays[name] = w.astype(np.float32)
    np.savez(out, **arrays)


def unpack(path):
    """The layers of the Keras graph and the float32 weights, the classifier's excepted."""
    z = np.load(path)
    layers = json.loads(bytes(z['layers.json']).decode())
    W = {}
    for k in z.files:
        if k.endswith('.q'):
            W[k[:-2]] = z[k].astype(np.float32) * z[k[:-2] + '.scale']
        elif not k.endswith('.scale') and k != 'layers.json':
            W[k] = z[k]
    return layers, W


def check(out, frames):
    """Cosine of the pooled last-stage features, float against dequantized, on up to 16 frames (224 px crops)."""
    from PIL import Image
    files = sorted(glob.glob(frames + '/*/*.jpg'))[::200][:16]
    x = np.stack([np.asarray(Image.open(f).convert('RGB').resize((224, 224))) for f in files])
    ref = KerasGraph().eval()
    deq = copy.copy(ref)
    deq.p = dict(ref.p)  # the same graph; its kernels are replaced below
    _, W = unpack(out)
    for n, t in list(deq.p.items()):
        if len(t) == 2 and t[0].dim() == 4:  # a convolution: (kernel, bias)
            deq.p[n] = (torch.from_numpy(W[n + '/kernel']).permute(3, 2, 0, 1).contiguous(), t[1])
    with torch.no_grad():
        a, d = ref(preprocess(x))['conv5'], deq(preprocess(x))['conv5']
    cos = torch.nn.functional.cosine_similarity(a, d, dim=1)
    print(f'{len(files)} frames: cosine of pooled features, float vs int8 kernels: min {cos.min():.6f} mean {cos.mean():.6f}')


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('out')
    p.add_argument('--check', help='a folder of frame folders (JPEG) to compare features on')
    a = p.parse_args()
    pack(a.out)
    if a.check:
        check(a.out, a.check)

"""Fine-tune the ImageNet ResNet-50 (every layer) on real lap-chole frames; score AP on the videos left out.

The probe (probe.py) froze the backbone. This trains all of it, from the ImageNet weights or, as the control, from
random weights with the same recipe, so the two differ only in the start. One sigmoid per tool (grasper, bipolar,
hook), binary cross-entropy, SGD with Nesterov momentum and a cosine rate, augmentation on the GPU (random crop and
scale, horizontal flip, brightness, contrast, saturation). Every epoch is scored on the split's held-out videos for
the learning curve; the figures reported are the last epoch's, fixed in advance (no choice made on the test videos).

    python3 finetune.py --frames FRAMES --data DATA --weights r50.npz --out results.json \
        --runs 'A:imagenet,A:scratch,B:imagenet,...' [--size 144x256] [--epochs 12] [--limit N]

FRAMES: one folder per clip of JPEGs, frame 5*i as %04d.jpg (decode_frames.sh); DATA: the splits foldA/B/C made by
make-data.sh (their `<clip>-tool.txt` rows name the frames and tools); the weights from pack_weights.py.
"""
import argparse, glob, json, os, re, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image
from pack_weights import unpack
from resnet_port import conv_padding, walk

TOOLS = ['Grasper', 'Bipolar', 'Hook']
MEAN_BGR = torch.tensor([103.939, 116.779, 123.68])


class TrainableResNet50(nn.Module):
    """The Keras ResNet50 graph (layers as the weights' own model.json lists them) as trainable modules."""

    def __init__(self, layers, W, classes, pretrained):
        super().__init__()
        self.layers = [l for l in layers if l['class_name'] != 'Dense']
        self.m = nn.ModuleDict()
        for l in self.layers:
            c, cfg, n = l['class_name'], l['config'], l['config']['name']
            if c == 'Conv2D':
                k = W[n + '/kernel']  # HWIO
                conv = nn.Conv2d(k.shape[2], k.shape[3], k.shape[0], tuple(cfg['strides']), conv_padding(cfg),
                                 bias=cfg['use_bias'])
                if pretrained:
                    conv.weight.data = torch.from_numpy(np.ascontiguousarray(k.transpose(3, 2, 0, 1)))
                    if cfg['use_bias']:
                        conv.bias.data = torch.from_numpy(W[n + '/bias'].copy())
                self.m[n] = conv
            elif c == 'BatchNormalization':
                bn = nn.BatchNorm2d(W[n + '/gamma'].shape[0], eps=cfg['epsilon'])
                if pretrained:
                    for attr, key in (('running_mean', 'moving_mean'), ('running_var', 'moving_variance'),
                                      ('weight', 'gamma'), ('bias', 'beta')):
                        getattr(bn, attr).data = torch.from_numpy(W[f'{n}/{key}'].copy())
                self.m[n] = bn
        self.head = nn.Linear(2048, classes)

    def forward(self, x):
        for _, y in walk(self.layers, x, lambda l, v: self.m[l['config']['name']](v)):
            pass
        return self.head(y)


def clips(data, fold, part):
    return sorted(os.path.basename(p)[:-9] for p in glob.glob(f'{data}/fold{fold}/{part}/*-tool.txt'))


def load_split(frames, data, fold, part, limit):
    """uint8 images N,H,W,3 (RGB), labels N,3, and each frame's video."""
    xs, ys, vids = [], [], []
    for c in clips(data, fold, part):
        with open(f'{data}/fold{fold}/{part}/{c}-tool.txt') as f:
            assert f.readline().split()[1:4] == TOOLS
            rows = np.loadtxt(f, dtype=np.int64, ndmin=2)
        for r in rows:
            assert r[0] % 5 == 0, r
            xs.append(np.asarray(Image.open(f'{frames}/{c}/{r[0] // 5:04d}.jpg').convert('RGB')))
            ys.append(r[1:4])
            vids.append(re.search(r'vid\d+', c).group())
    idx = np.arange(len(xs))
    if limit:
        idx = np.random.default_rng(0).permutation(len(xs))[:limit]
    return np.stack([xs[i] for i in idx]), np.stack([ys[i] for i in idx]).astype(np.float32), [vids[i] for i in idx]


def to_input(x_uint8, size, augment, gen):
    """N,H,W,3 uint8 on the device -> N,3,h,w Caffe-preprocessed (BGR, mean subtracted), optionally augmented."""
    x = x_uint8.permute(0, 3, 1, 2).float()
    n = x.shape[0]
    if augment:
        s = torch.empty(n, device=x.device).uniform_(0.7, 1.0, generator=gen)          # crop side / frame side
        tx = (torch.rand(n, device=x.device, generator=gen) * 2 - 1) * (1 - s)
        ty = (torch.rand(n, device=x.device, generator=gen) * 2 - 1) * (1 - s)
        flip = torch.where(torch.rand(n, device=x.device, generator=gen) < 0.5, -1.0, 1.0)
        theta = torch.zeros(n, 2, 3, device=x.device)
        theta[:, 0, 0], theta[:, 0, 2], theta[:, 1, 1], theta[:, 1, 2] = s * flip, tx, s, ty
        grid = F.affine_grid(theta, (n, 3) + size, align_corners=False)
        x = F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)
        b = torch.empty(n, 1, 1, 1, device=x.device).uniform_(0.75, 1.25, generator=gen)
        c = torch.empty(n, 1, 1, 1, device=x.device).uniform_(0.75, 1.25, generator=gen)
        sat = torch.empty(n, 1, 1, 1, device=x.device).uniform_(0.7, 1.3, generator=gen)
        grey = x.mean(1, keepdim=True)
        x = grey + (x - grey) * sat
        m = x.mean((1, 2, 3), keepdim=True)
        x = ((x - m) * c + m * b).clamp(0, 255)
    elif tuple(x.shape[2:]) != size:
        x = F.interpolate(x, size=size, mode='bilinear', align_corners=False)
    return x.flip(1) - MEAN_BGR.to(x.device).view(1, 3, 1, 1)


def average_precision(y, p):
    """AP as sklearn computes it (step-wise, no interpolation); NaN without positives."""
    if y.sum() == 0:
        return float('nan')
    order = np.argsort(-p, kind='mergesort')
    y, p = y[order], p[order]
    distinct = np.r_[np.nonzero(np.diff(p))[0], len(p) - 1]
    tp = np.cumsum(y)[distinct]
    precision, recall = tp / (distinct + 1), tp / y.sum()
    return float(np.sum(np.diff(np.r_[0, recall]) * precision))


def score(model, x, y, size, batch, device):
    model.eval()
    probs = []
    with torch.no_grad(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == 'cuda'):
        for i in range(0, len(x), batch):
            probs.append(torch.sigmoid(model(to_input(x[i:i + batch], size, False, None)).float()).cpu())
    p = torch.cat(probs).numpy()
    ap = [average_precision(y[:, k], p[:, k]) for k in range(3)]
    one = y.sum(1) == 1
    single = float((p[one].argmax(1) == y[one].argmax(1)).mean()) if one.any() else float('nan')
    return {'ap': dict(zip(TOOLS, ap)), 'mapGrasperHook': (ap[0] + ap[2]) / 2, 'oneToolAccuracy': single,
            'oneToolFrames': int(one.sum()), 'frames': len(y)}, p


def run(args, fold, init, layers, W, device):
    torch.manual_seed(args.seed)
    gen = torch.Generator(device=device)
    gen.manual_seed(args.seed)
    xtr, ytr, vtr = load_split(args.frames, args.data, fold, 'train', args.limit)
    xte, yte, vte = load_split(args.frames, args.data, fold, 'test', args.limit)
    xtr, xte = torch.from_numpy(xtr).to(device), torch.from_numpy(xte).to(device)
    ytr_t = torch.from_numpy(ytr).to(device)
    model = TrainableResNet50(layers, W, 3, init == 'imagenet').to(device)
    if device.type == 'cuda':
        model = model.to(memory_format=torch.channels_last)
    lr = args.lr if init == 'imagenet' else args.lr_scratch
    head = list(model.head.parameters())
    body = [p for n, p in model.named_parameters() if not n.startswith('head.')]
    head_lr = lr * (args.head_lr_factor if init == 'imagenet' else 1.0)  # only a new head on a trained body goes faster
    opt = torch.optim.SGD([{'params': body, 'lr': lr}, {'params': head, 'lr': head_lr}],
                          momentum=0.9, nesterov=True, weight_decay=args.weight_decay)
    steps_per_epoch = max(1, len(xtr) // args.batch)
    total = steps_per_epoch * args.epochs
    base = [g['lr'] for g in opt.param_groups]
    curve, step, t0 = [], 0, time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), device=device, generator=gen)
        losses = []
        for i in range(steps_per_epoch):
            for g, b0 in zip(opt.param_groups, base):
                g['lr'] = b0 * 0.5 * (1 + np.cos(np.pi * step / total))
            idx = perm[i * args.batch:(i + 1) * args.batch]
            x = to_input(xtr[idx], args.size, True, gen)
            if device.type == 'cuda':
                x = x.contiguous(memory_format=torch.channels_last)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == 'cuda'):
                loss = F.binary_cross_entropy_with_logits(model(x).float(), ytr_t[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(loss.item())
            step += 1
        s, _ = score(model, xte, yte, args.size, 256, device)
        curve.append({'epoch': epoch + 1, 'loss': float(np.mean(losses)), 'mapGrasperHook': s['mapGrasperHook'],
                      'ap': s['ap'], 'seconds': time.time() - t0})
        print(f'fold {fold} {init} epoch {epoch + 1}: loss {np.mean(losses):.4f} test mAP(g+h) '
              f'{s["mapGrasperHook"]:.3f} AP {[round(v, 3) for v in s["ap"].values()]}', flush=True)
    final, probs = score(model, xte, yte, args.size, 256, device)
    train_fit, _ = score(model, xtr, ytr, args.size, 256, device)
    per_video = {}
    for v in sorted(set(vte)):
        sel = np.array([u == v for u in vte])
        per_video[v] = {'frames': int(sel.sum()), 'ap': {t: average_precision(yte[sel, k], probs[sel, k])
                                                         for k, t in enumerate(TOOLS)}}
    return {'fold': fold, 'init': init, 'trainVideos': sorted(set(vtr)), 'testVideos': sorted(set(vte)),
            'trainFrames': len(xtr), 'lr': lr, 'final': final, 'trainFit': train_fit, 'perVideo': per_video,
            'curve': curve, 'seconds': time.time() - t0}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--frames', required=True)
    p.add_argument('--data', required=True)
    p.add_argument('--weights', required=True)
    p.add_argument('--out', required=True)
    p.add_argument('--runs', default='A:imagenet,A:scratch,B:imagenet,B:scratch,C:imagenet,C:scratch')
    p.add_argument('--size', default='144x256', help='network input HxW (frames are resized to it)')
    p.add_argument('--epochs', type=int, default=12)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--lr', type=float, default=0.01, help='peak rate from the ImageNet weights')
    p.add_argument('--lr-scratch', type=float, default=0.05, help='peak rate from random weights')
    p.add_argument('--head-lr-factor', type=float, default=10.0, help='the new head\'s rate over the body\'s (ImageNet start)')
    p.add_argument('--weight-decay', type=float, default=1e-4)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--limit', type=int, default=0, help='use N random frames of each split (smoke tests)')
    args = p.parse_args()
    args.size = tuple(int(v) for v in args.size.split('x'))
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    layers, W = unpack(args.weights)
    results = {'command': vars(args) | {'size': list(args.size)}, 'device': torch.cuda.get_device_name(0)
               if device.type == 'cuda' else 'cpu', 'torch': torch.__version__, 'runs': []}
    for r in args.runs.split(','):
        fold, init = r.split(':')
        results['runs'].append(run(args, fold, init, layers, W, device))
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=1)
    for r in results['runs']:
        f = r['final']
        print(f"fold {r['fold']} ({','.join(r['testVideos'])}) {r['init']}: grasper {f['ap']['Grasper']:.3f} "
              f"bipolar {f['ap']['Bipolar']:.3f} hook {f['ap']['Hook']:.3f} mAP(g+h) {f['mapGrasperHook']:.3f} "
              f"1-tool {f['oneToolAccuracy']:.3f} ({r['seconds']:.0f} s)")


if __name__ == '__main__':
    main()

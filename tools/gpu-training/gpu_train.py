#!/usr/bin/env python3
"""Train the multi-exit ResNet-18 of em-adaptive on a GPU with PyTorch, and export it for `import-weights`.

The Java trainer (`em-adaptive train`) runs on CPUs, where a CIFAR-10 network of useful accuracy takes many hours.
This script trains the same network (ai.emadaptive.model.ParamLayout: same tensors, shapes, padding, batch norm and
heads) with the same joint recipe (every exit's cross-entropy, exits 1-3 also distilled from exit 4, SGD with Nesterov
momentum, pad-4 random crop and flip with black padding), or in the seed's order (--recipe seed), optionally with
cutout, label smoothing and mixup, and writes:

  weights.bin  the EMAW format of ai.emadaptive.artifact.WeightsCodec (little-endian, dense weights [in, out])
  meta.json    architecture, classes, per-channel normalisation (pixels in [0, 1]), data, command, metrics
  log.json     per-epoch losses and test accuracy per exit

`em-adaptive import-weights --weights weights.bin --meta meta.json --out model.zip` turns them into an artifact.
`--fixture DIR` instead writes a tiny randomly initialised network, inputs and its logits, which the Java tests use
to check that the import and the serving engine compute exactly what PyTorch computes.
"""
import argparse
import json
import math
import os
import struct
import sys
import tarfile
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-5


# ---------------------------------------------------------------------------------------------------------- model
class ConvBn(nn.Module):
    """Convolution without bias (padding k/2, as ai.emadaptive.model.Ops) followed by batch norm."""

    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=BN_EPS, momentum=0.1)

    def forward(self, x):
        return self.bn(self.conv(x))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = ConvBn(cin, cout, 3, stride)
        self.c2 = ConvBn(cout, cout, 3, 1)
        self.down = ConvBn(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.c2(F.relu(self.c1(x)))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ConvHead(nn.Module):
    """3x3 conv (stride 2 while the map is larger than 4x4) + BN + ReLU, global average pool, dense."""

    def __init__(self, c, stride, classes):
        super().__init__()
        self.cb = ConvBn(c, c, 3, stride)
        self.out = nn.Linear(c, classes)

    def forward(self, x):
        return self.out(F.relu(self.cb(x)).mean(dim=(2, 3)))


# ai.emadaptive.model.Stem: kernel, stride, 3x3/2 max-pool after it
STEMS = {"CIFAR": (3, 1, False), "IMAGENET": (7, 2, True), "COMPACT": (3, 2, True)}


class MultiExitResNet18(nn.Module):
    """A stem (Stem), four stages of two blocks (width x 1, 2, 4, 8; strides 1, 2, 2, 2), a conv head per stage."""

    def __init__(self, width, input_size, classes, stem="CIFAR"):
        super().__init__()
        self.width, self.input_size, self.classes, self.stem_name = width, input_size, classes, stem
        k, stride, pool = STEMS[stem]
        self.stem = ConvBn(3, width, k, stride)
        # after a ReLU every value is >= 0, so PyTorch's -inf padding and libnd4j's agree
        self.pool = nn.MaxPool2d(3, 2, 1) if pool else None
        self.stages = nn.ModuleList()
        self.heads = nn.ModuleList()
        size = (input_size + 2 * (k // 2) - k) // stride + 1
        if pool:
            size = (size + 2 - 3) // 2 + 1
        cin = width
        for s in range(4):
            cout, stride = width << s, (1 if s == 0 else 2)
            self.stages.append(nn.Sequential(Block(cin, cout, stride), Block(cout, cout, 1)))
            size = (size + 2 - 3) // stride + 1
            self.heads.append(ConvHead(cout, 2 if size > 4 else 1, classes))
            cin = cout

    def forward(self, x):
        x = F.relu(self.stem(x))
        if self.pool is not None:
            x = self.pool(x)
        logits = []
        for stage, head in zip(self.stages, self.heads):
            x = stage(x)
            logits.append(head(x))
        return logits

    def named_tensors(self):
        """(name, array) in the Java naming scheme (ai.emadaptive.model.Names), dense weights as [in, out]."""
        return [(n, t.detach().float().cpu().contiguous().numpy()) for n, t in self.tensor_views()]

    def tensor_views(self):
        """(name, tensor) in the Java naming scheme; views of the parameters and statistics, so loading writes them."""
        out = []

        def bn(prefix, m):
            out.extend([(prefix + ".gamma", m.weight), (prefix + ".beta", m.bias),
                        (prefix + ".mean", m.running_mean), (prefix + ".var", m.running_var)])

        out.append(("stem.conv.W", self.stem.conv.weight))
        bn("stem.bn", self.stem.bn)
        for s, (stage, head) in enumerate(zip(self.stages, self.heads), start=1):
            for b, block in enumerate(stage):
                p = "s%d.b%d" % (s, b)
                out.append((p + ".conv1.W", block.c1.conv.weight))
                bn(p + ".bn1", block.c1.bn)
                out.append((p + ".conv2.W", block.c2.conv.weight))
                bn(p + ".bn2", block.c2.bn)
                if block.down is not None:
                    out.append((p + ".down.W", block.down.conv.weight))
                    bn(p + ".downbn", block.down.bn)
            e = "exit%d" % s
            out.append((e + ".conv.W", head.cb.conv.weight))
            bn(e + ".bn", head.cb.bn)
            out.append((e + ".out.W", head.out.weight.t()))
            out.append((e + ".out.b", head.out.bias))
        return out

    def load_emaw(self, path):
        """Every tensor from a weights.bin (version 1 or 2) of the same architecture: a run continues another."""
        self.load_tensors(read_emaw(path), path)

    @torch.no_grad()
    def load_tensors(self, tensors, path="weights"):
        """name -> array in the Java naming scheme (read_emaw's result), every tensor of this architecture."""
        views = self.tensor_views()
        names = {n for n, _ in views}
        if names != set(tensors):
            raise ValueError("%s does not hold this network's tensors: missing %s, unknown %s" % (
                path, sorted(names - set(tensors))[:3], sorted(set(tensors) - names)[:3]))
        for name, view in views:
            a = tensors[name]
            if tuple(a.shape) != tuple(view.shape):
                raise ValueError("%s: tensor %s has shape %s, this network's %s (another width?)"
                                 % (path, name, a.shape, tuple(view.shape)))
            view.copy_(torch.from_numpy(a))


def write_emaw(model, path):
    """ai.emadaptive.artifact.WeightsCodec, version 1."""
    tensors = model.named_tensors()
    with open(path + ".tmp", "wb") as f:
        f.write(b"EMAW" + struct.pack("<ii", 1, len(tensors)))
        for name, a in tensors:
            if not np.all(np.isfinite(a)):
                raise ValueError("tensor %s is not finite" % name)
            raw = name.encode("utf-8")
            f.write(struct.pack("<H", len(raw)) + raw + struct.pack("<i", a.ndim))
            f.write(struct.pack("<%dq" % a.ndim, *a.shape))
            f.write(a.astype("<f4").tobytes(order="C"))
    os.replace(path + ".tmp", path)


def read_emaw(path):
    """name -> float32 array from ai.emadaptive.artifact.WeightsCodec's format: version 1 (float32) or 2 (a per-tensor
    encoding byte, 0 float32 or 1 IEEE binary16), as an artifact's weights.bin holds it."""
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:4] != b"EMAW":
        raise ValueError("%s is not a weights.bin (no EMAW header)" % path)
    version, count = struct.unpack_from("<ii", buf, 4)
    if version not in (1, 2):
        raise ValueError("%s: weights.bin version %d is not 1 or 2" % (path, version))
    pos, out = 12, {}
    for _ in range(count):
        (n,) = struct.unpack_from("<H", buf, pos)
        name = buf[pos + 2:pos + 2 + n].decode("utf-8")
        pos += 2 + n
        (rank,) = struct.unpack_from("<i", buf, pos)
        shape = struct.unpack_from("<%dq" % rank, buf, pos + 4)
        pos += 4 + 8 * rank
        dtype = "<f4"
        if version == 2:
            dtype = {0: "<f4", 1: "<f2"}[buf[pos]]
            pos += 1
        size = int(np.prod(shape)) if rank else 1
        a = np.frombuffer(buf, dtype=dtype, count=size, offset=pos).astype(np.float32).reshape(shape)
        pos += size * np.dtype(dtype).itemsize
        out[name] = a
    if pos != len(buf):
        raise ValueError("%s: %d bytes after the last tensor" % (path, len(buf) - pos))
    return out


# ----------------------------------------------------------------------------------------------------------- data
def _decode(path):
    from PIL import Image
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.uint8)


def load_split(root, split, classes=None, workers=8):
    """One folder per class (the Java ImageFolderLoader's order: classes and files sorted) -> uint8 NHWC, labels."""
    base = os.path.join(root, split)
    classes = classes or sorted(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)))
    files, labels = [], []
    for i, c in enumerate(classes):
        names = sorted(n for n in os.listdir(os.path.join(base, c)) if n.lower().endswith((".jpg", ".jpeg", ".png")))
        files += [os.path.join(base, c, n) for n in names]
        labels += [i] * len(names)
    with ProcessPoolExecutor(workers) as ex:
        images = list(ex.map(_decode, files, chunksize=512))
    return np.stack(images), np.array(labels, dtype=np.int64), classes


def load_data(data, cache_dir=None):
    """Both splits of a folder as uint8 NHWC arrays and labels, decoded once into cache_dir (one .npz per folder name,
    so runs on other data never read it)."""
    name = os.path.basename(os.path.normpath(data))
    cache = os.path.join(cache_dir, name + "-uint8.npz") if cache_dir else None
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
    if cache and os.path.exists(cache):
        z = np.load(cache, allow_pickle=False)
        return z["xtr"], z["ytr"], z["xte"], z["yte"], list(z["classes"])
    xtr, ytr, classes = load_split(data, "train")
    xte, yte, _ = load_split(data, "test", classes)
    if cache:
        np.savez(cache + ".tmp.npz", xtr=xtr, ytr=ytr, xte=xte, yte=yte, classes=np.array(classes))
        os.replace(cache + ".tmp.npz", cache)
    return xtr, ytr, xte, yte, classes


def extracted(data, cache_dir=None):
    """A .tar.gz data set unpacked once (next to the cache); a folder as it is."""
    if not data.endswith(".tar.gz"):
        return data
    dest = os.path.join(cache_dir or "/tmp", "extracted")
    if not os.path.isdir(dest):
        with tarfile.open(data) as t:
            t.extractall(dest + ".tmp")
        os.replace(dest + ".tmp", dest)
    return os.path.join(dest, os.listdir(dest)[0])


def holdout_mask(y, every, classes):
    """True for every N-th image of each class in the sorted order: the Java side's --holdout-every."""
    seen = np.zeros(classes, dtype=np.int64)
    held = np.zeros(len(y), dtype=bool)
    for i, label in enumerate(y):
        seen[label] += 1
        held[i] = seen[label] % every == 0
    return held


def normalisation(x):
    """Per-channel mean and population std of pixels in [0, 1], as ai.emadaptive.data.Normalisation."""
    v = x.reshape(-1, 3).astype(np.float64) / 255.0
    mean = v.mean(axis=0)
    std = np.sqrt(np.maximum(1e-12, (v * v).mean(axis=0) - mean * mean))
    return mean.astype(np.float32), std.astype(np.float32)


def augment(xb, gen, cutout=0):
    """Pad-4 random crop with black padding and a horizontal flip half of the time, in one gather (uint8 NHWC);
    cutout > 0 then blacks out a cutout x cutout square centred anywhere in the image (clipped at its edges)."""
    n, s = xb.shape[0], xb.shape[1]
    padded = F.pad(xb, (0, 0, 4, 4, 4, 4))
    dy = torch.randint(0, 9, (n, 1), device=xb.device, generator=gen)
    dx = torch.randint(0, 9, (n, 1), device=xb.device, generator=gen)
    flip = torch.rand(n, 1, device=xb.device, generator=gen) < 0.5
    base = torch.arange(s, device=xb.device).unsqueeze(0)
    rows = dy + base
    cols = dx + torch.where(flip, s - 1 - base, base)
    idx = torch.arange(n, device=xb.device)[:, None, None]
    out = padded[idx, rows[:, :, None], cols[:, None, :]]
    if cutout <= 0:
        return out
    cy = torch.randint(0, s, (n, 1), device=xb.device, generator=gen) - cutout // 2
    cx = torch.randint(0, s, (n, 1), device=xb.device, generator=gen) - cutout // 2
    in_y = (base >= cy) & (base < cy + cutout)
    in_x = (base >= cx) & (base < cx + cutout)
    keep = ~(in_y[:, :, None] & in_x[:, None, :])
    return out * keep[..., None].to(out.dtype)


def to_input(xb, mean, std, channels_last):
    x = (xb.float() / 255.0 - mean) / std
    x = x.permute(0, 3, 1, 2)
    return x.contiguous(memory_format=torch.channels_last) if channels_last else x.contiguous()


# ------------------------------------------------------------------------------------------------------- training
def joint_loss(logits, y, weights, temperature, alpha, smoothing=0.0):
    """Sum of weights[e] x exit e's loss; exits 1-3: (1 - alpha) CE + alpha T^2 KL(teacher || student), teacher = exit 4
    (as the Java trainer's MultiExitTrainer.step)."""
    final = logits[-1]
    teacher = F.softmax(final.detach().float() / temperature, dim=1) if temperature > 0 else None
    total, losses = 0.0, []
    for e, z in enumerate(logits):
        ce = F.cross_entropy(z, y, label_smoothing=smoothing)
        losses.append(ce.detach())
        w = weights[e]
        if w == 0:
            continue
        if teacher is None or e == len(logits) - 1:
            total = total + w * ce
        else:
            kl = F.kl_div(F.log_softmax(z.float() / temperature, dim=1), teacher, reduction="batchmean")
            total = total + w * ((1 - alpha) * ce + alpha * temperature * temperature * kl)
    return total, losses


class Phase:
    """One stage of a recipe, as ai.emadaptive.train.Phase: exit loss weights, frozen backbone or not, peak rate."""

    def __init__(self, name, share, weights, frozen, lr, distill, warmup_epochs):
        self.name, self.share, self.weights, self.frozen = name, share, weights, frozen
        self.lr, self.distill, self.warmup_epochs = lr, distill, warmup_epochs
        self.epochs = 0


def recipe(args):
    if args.recipe == "joint":
        return [Phase("joint", 1.0, args.exit_weights, False, args.lr, args.distill, args.warmup_epochs)]
    # the seed's order, then the CPU run's last step: backbone on the final exit; the four heads on the frozen
    # backbone; a short distilled joint phase at a low rate
    return [Phase("backbone", args.shares[0], [0, 0, 0, 1], False, args.lr, 0, args.warmup_epochs),
            Phase("exits", args.shares[1], [1, 1, 1, 1], True, args.lr_exits, 0, 0),
            Phase("joint", args.shares[2], args.exit_weights, False, args.lr_joint, args.distill, 0)]


def plan(phases, total_epochs):
    for p in phases:
        p.epochs = max(1, int(round(p.share * total_epochs)))


def set_frozen(model, frozen):
    """A frozen backbone: no gradients and inference-mode batch norm; the heads learn."""
    for name, module in model.named_children():
        if name == "heads":
            continue
        module.train(not frozen)
        for param in module.parameters():
            param.requires_grad_(not frozen)


@torch.no_grad()
def evaluate(model, x, y, mean, std, channels_last, batch=1000, precise=False):
    """Test accuracy per exit; precise: in float32, as the Java engine computes (else in training's precision)."""
    model.eval()
    correct = torch.zeros(4, device=x.device)
    for i in range(0, x.shape[0], batch):
        with autocast(torch.device("cpu") if precise else x.device):
            logits = model(to_input(x[i:i + batch], mean, std, channels_last))
        for e, z in enumerate(logits):
            correct[e] += (z.argmax(1) == y[i:i + batch]).sum()
    model.train()
    return (correct / x.shape[0]).tolist()


def autocast(device):
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return torch.autocast(device_type="cpu", enabled=False)


def lr_at(step, warmup, total, peak):
    if step < warmup:
        return peak * (step + 1) / warmup
    p = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * 0.5 * (1 + math.cos(math.pi * p))


def train(args):
    t0 = time.time()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(args.seed)
    torch.backends.cudnn.benchmark = True
    xtr, ytr, xte, yte, classes = load_data(args.data, args.cache)
    if args.prepare:
        return
    held = 0
    if args.holdout_every:
        keep = ~holdout_mask(ytr, args.holdout_every, len(classes))
        held = int((~keep).sum())
        xho, yho = xtr[~keep], ytr[~keep]
        xtr, ytr = xtr[keep], ytr[keep]
    if args.limit:  # a random subset of each split
        rng = np.random.default_rng(args.seed)
        a, b = rng.permutation(len(xtr))[:args.limit], rng.permutation(len(xte))[:args.limit]
        xtr, ytr, xte, yte = xtr[a], ytr[a], xte[b], yte[b]
    mean_np, std_np = normalisation(xtr)
    print("data: %d train, %d test, %dx%d, %d classes, loaded in %.1f s"
          % (len(xtr), len(xte), xtr.shape[1], xtr.shape[2], len(classes), time.time() - t0), flush=True)

    x_train, y_train = torch.from_numpy(xtr).to(device), torch.from_numpy(ytr).to(device)
    x_test, y_test = torch.from_numpy(xte).to(device), torch.from_numpy(yte).to(device)
    x_held = torch.from_numpy(xho).to(device) if held else None
    y_held = torch.from_numpy(yho).to(device) if held else None
    mean, std = torch.tensor(mean_np, device=device), torch.tensor(std_np, device=device)
    channels_last = device.type == "cuda"
    model = MultiExitResNet18(args.width, xtr.shape[1], len(classes), args.stem).to(device)
    if args.init:
        model.load_emaw(args.init)
        print("init from %s: test accuracy per exit %s" % (args.init, " ".join(
            "%.4f" % a for a in evaluate(model, x_test, y_test, mean, std, False, precise=True))), flush=True)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    gen = torch.Generator(device=device)
    mix_rng = np.random.default_rng(args.seed)
    gen.manual_seed(args.seed)

    n = x_train.shape[0]
    steps_per_epoch = n // args.batch
    if steps_per_epoch == 0:  # every batch is full, so no step at all would leave the random weights, loss NaN
        sys.exit(f"error: {n} training images make no full batch of {args.batch}; use --batch {max(1, n)} or less")
    phases = recipe(args)
    plan(phases, args.epochs)
    log, train_start, planned = [], time.time(), not args.time_budget
    # a hard stop past the budget, should the plan's per-epoch estimate prove low (another run sharing the GPU,
    # say): the weights are written all the same, and meta.json says so
    deadline = train_start + 1.15 * args.time_budget if args.time_budget else float("inf")
    stopped_early = False
    for phase in phases:
        if stopped_early:
            break
        set_frozen(model, phase.frozen)
        params = [q for q in model.parameters() if q.requires_grad]
        opt = torch.optim.SGD(params, lr=phase.lr, momentum=0.9, nesterov=True, weight_decay=args.weight_decay)
        warmup = steps_per_epoch * phase.warmup_epochs
        total = steps_per_epoch * phase.epochs if planned else 1 << 40
        step, epoch = 0, 0
        while epoch < phase.epochs or not planned:
            e0 = time.time()
            perm = torch.randperm(n, device=device, generator=gen)
            sums = torch.zeros(4, device=device)
            for i in range(steps_per_epoch):
                idx = perm[i * args.batch:(i + 1) * args.batch]
                xb = to_input(augment(x_train[idx], gen, args.cutout), mean, std, channels_last)
                yb, mix = y_train[idx], None
                if args.mixup > 0 and phase is phases[0]:
                    # mixup in the first phase only (the seed recipe's backbone phase): the heads and the joint
                    # phase then see whole images, so the confidences the routers read are those of real frames
                    m = float(mix_rng.beta(args.mixup, args.mixup))
                    pair = torch.randperm(len(idx), device=device, generator=gen)
                    xb = m * xb + (1 - m) * xb[pair]
                    mix = (m, yb[pair])
                for g in opt.param_groups:
                    g["lr"] = lr_at(step, warmup, total, phase.lr)
                with autocast(device):
                    logits = model(xb)
                logits = [z.float() for z in logits]
                loss, parts = joint_loss(logits, yb, phase.weights, phase.distill, args.distill_weight, args.label_smoothing)
                if mix is not None:
                    other, _ = joint_loss(logits, mix[1], phase.weights, phase.distill, args.distill_weight,
                                          args.label_smoothing)
                    loss = mix[0] * loss + (1 - mix[0]) * other
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                sums += torch.stack(parts)
                step += 1
            epoch += 1
            if not planned and epoch == 2:
                # the second epoch's time sets the plan (the first includes cuDNN's autotuning): as many epochs as fit
                # the budget, shared among the phases, each phase's cosine decay over its own epochs; until then the
                # rate stays at its peak. Later phases cost at most what the first does per epoch.
                spent, per_epoch = time.time() - train_start, time.time() - e0
                plan(phases, 2 + int(0.97 * (args.time_budget - spent) / per_epoch))
                phase.epochs = max(phase.epochs, 3)
                total, planned = steps_per_epoch * phase.epochs, True
            stopped_early = time.time() > deadline and not (planned and epoch == phase.epochs)
            phase_end = (planned and epoch == phase.epochs) or stopped_early
            last = phase_end and (phase is phases[-1] or stopped_early)
            # each phase's end is scored too: the backbone phase's exit 4 is the plain network's accuracy
            acc = (evaluate(model, x_test, y_test, mean, std, channels_last, precise=last)
                   if (phase_end or epoch % args.eval_every == 0) else None)
            set_frozen(model, phase.frozen)  # evaluate() leaves every module in training mode
            loss_mean = (sums / steps_per_epoch).tolist()
            log.append({"phase": phase.name, "epoch": epoch, "seconds": round(time.time() - e0, 2),
                        "loss": [round(v, 4) for v in loss_mean], "testAccuracy": acc})
            print("%s %d/%d %.1fs loss %s%s" % (phase.name, epoch, phase.epochs, time.time() - e0,
                                               " ".join("%.3f" % v for v in loss_mean),
                                               "" if acc is None else " test " + " ".join("%.4f" % a for a in acc)),
                  flush=True)
            if stopped_early:
                print("stopped early: %.0f s past the budget's start" % (time.time() - train_start), flush=True)
                break
    train_seconds = time.time() - train_start

    model.eval()
    os.makedirs(args.out, exist_ok=True)
    write_emaw(model, os.path.join(args.out, "weights.bin"))
    final = log[-1]["testAccuracy"]
    # the held-out training images are new to the network: a validation set for choosing among runs
    held_acc = evaluate(model, x_held, y_held, mean, std, channels_last, precise=True) if held else None
    gpu = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    meta = {
        "architecture": {"width": args.width, "inputSize": int(xtr.shape[1]), "inChannels": 3, "stem": args.stem,
                         "headType": "CONV", "numClasses": len(classes)},
        "classes": classes,
        "mean": [float(v) for v in mean_np], "std": [float(v) for v in std_np],
        "data": "%s: %d training images (test: %d)%s" % (args.data, len(xtr), len(xte), "" if not held else
                                                         ", every %dth per class (%d) held out" % (args.holdout_every, held)),
        "holdoutEvery": args.holdout_every,
        "command": "python3 tools/gpu-training/gpu_train.py " + " ".join(sys.argv[1:]),
        "metrics": {**{"exit%d.testAccuracy" % (e + 1): a for e, a in enumerate(final)},
                    **({} if held_acc is None else {"exit%d.holdoutAccuracy" % (e + 1): a for e, a in enumerate(held_acc)}),
                    "epochs": float(len(log)), "trainSeconds": round(train_seconds, 1),
                    "stoppedEarly": 1.0 if stopped_early else 0.0},
        "trainedOn": "%s, PyTorch %s" % (gpu, torch.__version__),
    }
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    with open(os.path.join(args.out, "log.json"), "w") as f:
        json.dump(log, f)
    print("wrote %s: %s epochs in %.0f s on %s%s, test accuracy per exit %s%s"
          % (args.out, " + ".join("%d %s" % (p.epochs, p.name) for p in phases), train_seconds, gpu,
             " (stopped early)" if stopped_early else "", " ".join("%.4f" % a for a in final),
             "" if held_acc is None else ", held out " + " ".join("%.4f" % a for a in held_acc)), flush=True)


# -------------------------------------------------------------------------------------------------------- fixture
def fixture(args):
    """A tiny network with randomised batch-norm statistics, a few inputs and PyTorch's float64 logits per exit."""
    torch.manual_seed(7)
    size, width, classes = (16 if args.stem == "CIFAR" else 32), 2, 3
    model = MultiExitResNet18(width, size, classes, args.stem).double()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.3, 0.3)
                m.running_var.uniform_(0.5, 2.0)
    model.eval()
    x = torch.randn(2, size, size, 3, dtype=torch.float64)  # NHWC, already normalised
    with torch.no_grad():
        logits = model(x.permute(0, 3, 1, 2).contiguous())
    os.makedirs(args.fixture, exist_ok=True)
    write_emaw(model, os.path.join(args.fixture, "weights.bin"))
    meta = {"architecture": {"width": width, "inputSize": size, "inChannels": 3, "stem": args.stem, "headType": "CONV",
                             "numClasses": classes},
            "classes": ["a", "b", "c"], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25],
            "data": "random", "command": "python3 tools/gpu-training/gpu_train.py --stem %s --fixture %s" % (args.stem, args.fixture),
            "metrics": {}, "trainedOn": "cpu, PyTorch %s" % torch.__version__}
    with open(os.path.join(args.fixture, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    with open(os.path.join(args.fixture, "expected.json"), "w") as f:
        json.dump({"inputNhwc": x.flatten().tolist(), "shape": list(x.shape),
                   "logits": [z.tolist() for z in logits]}, f)
    print("wrote fixture to", args.fixture)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", help="folder with train/ and test/, one subfolder per class (or a .tar.gz of one)")
    p.add_argument("--out", help="folder for weights.bin, meta.json and log.json")
    p.add_argument("--cache", help="folder to keep the decoded images in (reused by later runs)")
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--stem", choices=sorted(STEMS), default="CIFAR", help="CIFAR for 32 px, COMPACT for 128 px frames")
    p.add_argument("--epochs", type=int, default=60, help="epochs (ignored with --time-budget)")
    p.add_argument("--time-budget", type=float, default=0, help="seconds: the second epoch's time decides the epochs")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--lr", type=float, default=0.4)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--warmup-epochs", type=int, default=1)
    p.add_argument("--recipe", choices=["joint", "seed"], default="joint",
                   help="joint: every exit from the start; seed: backbone on the final exit, heads on the frozen "
                        "backbone, then a distilled joint phase (--shares of the epochs)")
    p.add_argument("--shares", type=lambda v: [float(x) for x in v.split(",")], default=[0.75, 0.1, 0.15],
                   help="seed recipe: shares of the epochs for its three phases")
    p.add_argument("--lr-exits", type=float, default=0.2, help="seed recipe: peak rate of the heads phase")
    p.add_argument("--lr-joint", type=float, default=0.04, help="seed recipe: peak rate of the joint phase")
    p.add_argument("--exit-weights", type=lambda v: [float(x) for x in v.split(",")], default=[1, 1, 1, 1],
                   help="loss weight of exits 1-4 in the joint phase (of either recipe)")
    p.add_argument("--distill", type=float, default=3.0, help="temperature, 0 for plain cross-entropy at every exit")
    p.add_argument("--distill-weight", type=float, default=0.5)
    p.add_argument("--cutout", type=int, default=0, help="side of a random black square per training image, 0 for none")
    p.add_argument("--mixup", type=float, default=0.0, help="mixup's Beta(a, a) parameter in the first phase, 0 for none")
    p.add_argument("--label-smoothing", type=float, default=0.0, help="label smoothing of every exit's cross-entropy")
    p.add_argument("--eval-every", type=int, default=5)
    p.add_argument("--limit", type=int, default=0, help="use only N random images of each split (smoke tests)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--holdout-every", type=int, default=0,
                   help="leave every N-th training image of each class out, for the routers (routers --holdout-every N)")
    p.add_argument("--init", help="start from this weights.bin (same architecture; version 1 or 2, e.g. an artifact's)")
    p.add_argument("--prepare", action="store_true", help="only decode the data into --cache")
    p.add_argument("--fixture", help="write the Java tests' fixture to this folder and exit")
    args = p.parse_args()
    if args.fixture:
        return fixture(args)
    if not args.data or not args.out:
        p.error("--data and --out are required")
    args.data = extracted(args.data, args.cache)
    train(args)


if __name__ == "__main__":
    main()

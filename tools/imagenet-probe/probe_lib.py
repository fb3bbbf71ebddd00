# Shared by probe.py and sanity.py: the data of a split, the logistic regression, and C chosen by leave-one-video-out CV.
import os, re, glob, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import average_precision_score
TOOLS = ['Grasper', 'Bipolar', 'Hook']; CS = [0.001, 0.01, 0.1, 1]
def clips(fold, part): return sorted(os.path.basename(t)[:-9] for t in glob.glob(os.environ.get('DATA', 'data') + f'/{fold}/{part}/*-tool.txt'))
def load(cl, var, lev):
    X, Y, V = [], [], []
    for c in cl:
        z = np.load(f'feats/{c}.{var}.npz'); assert list(z['tools'][:3]) == TOOLS, z['tools']
        X.append(z[lev]); Y.append(z['labels'][:, :3]); V += [re.search(r'vid\d+', c).group()] * len(z['idx'])
        if z['labels'].shape[1] != 3: print('NOTE: more tool columns in', c)
    return np.concatenate(X).astype(np.float64), np.concatenate(Y), np.array(V)
def fit(X, y, C): return LogisticRegression(C=C, class_weight='balanced', max_iter=2000).fit(X, y)
def chooseC(X, y, g):
    vids = np.unique(g); res = {}
    if len(vids) < 2: return None, res
    for C in CS:
        oof = np.full(len(y), np.nan)
        for v in vids:
            tr, va = g != v, g == v
            if len(np.unique(y[tr])) < 2: continue
            sc = StandardScaler().fit(X[tr]); oof[va] = fit(sc.transform(X[tr]), y[tr], C).predict_proba(sc.transform(X[va]))[:, 1]
        ok = ~np.isnan(oof)
        if ok.sum() and len(np.unique(y[ok])) == 2: res[C] = average_precision_score(y[ok], oof[ok])  # pooled out-of-video AP
    return (max(res, key=res.get) if res else None), res

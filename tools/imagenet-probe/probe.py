# Linear probe (logistic regression) on frozen ResNet-50 features, per split / variant / level.
# usage: probe.py [--fixedC 0.01] [--variants crop,lbox] [--levels conv3,conv4,conv5]
import os, re, sys, glob, json, time, argparse, warnings, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import average_precision_score
warnings.filterwarnings('ignore')
ap = argparse.ArgumentParser(); ap.add_argument('--fixedC', type=float, default=None)
ap.add_argument('--variants', default='crop,lbox'); ap.add_argument('--levels', default='conv3,conv4,conv5')
ap.add_argument('--out', default='results.json'); a = ap.parse_args()
from probe_lib import TOOLS, CS, clips, load, fit, chooseC
os.makedirs('probs', exist_ok=True)
results = []
for fold in ['foldA', 'foldB', 'foldC']:
    trc, tec = clips(fold, 'train'), clips(fold, 'test')
    for var in a.variants.split(','):
        for lev in a.levels.split(','):
            t0 = time.time()
            Xtr, Ytr, Gtr = load(trc, var, lev); Xte, Yte, Gte = load(tec, var, lev)
            sc = StandardScaler().fit(Xtr); Ztr, Zte = sc.transform(Xtr), sc.transform(Xte)
            P = np.zeros((len(Yte), 3)); row = dict(split=fold, variant=var, level=lev, n_train=len(Ytr), n_test=len(Yte),
                                                     train_videos=sorted(set(Gtr)), test_videos=sorted(set(Gte)))
            for j, t in enumerate(TOOLS):
                y = Ytr[:, j]
                if len(np.unique(y)) < 2: row[t] = None; row[t + '_note'] = f'constant in train ({y.mean():.0f})'; P[:, j] = y.mean(); continue
                if a.fixedC: C, cvres = a.fixedC, {}
                else:
                    C, cvres = chooseC(Xtr, y, Gtr)
                    if C is None: C = 0.01
                row[t + '_C'] = C; row[t + '_cv'] = {str(k): round(v, 3) for k, v in cvres.items()}
                P[:, j] = fit(Ztr, y, C).predict_proba(Zte)[:, 1]
                yt = Yte[:, j]
                row[t] = float(average_precision_score(yt, P[:, j])) if len(np.unique(yt)) == 2 else None
                row[t + '_prev'] = float(yt.mean())
            one = Yte.sum(1) == 1
            row['n_one'] = int(one.sum()); row['acc1'] = float((P[one].argmax(1) == Yte[one].argmax(1)).mean()) if one.any() else None
            row['gh'] = (row['Grasper'] + row['Hook']) / 2 if row['Grasper'] is not None and row['Hook'] is not None else None
            row['secs'] = round(time.time() - t0, 1)
            np.save(f'probs/{fold}.{var}.{lev}' + (f'.C{a.fixedC}' if a.fixedC else '') + '.npy', P)
            results.append(row); print(json.dumps(row), flush=True)
json.dump(results, open(a.out, 'w'), indent=1)

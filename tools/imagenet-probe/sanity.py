# Sanity checks: (1) train-set AP (fit quality); (2) random 5-fold frame-level CV within each split's train set (alignment check: should be high);
# (3) per-test-clip mean predicted probability for each tool (where do the across-video errors come from).
import numpy as np, warnings
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import average_precision_score as AP
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
warnings.filterwarnings('ignore')
import probe_lib as L
for fold in ['foldA', 'foldB', 'foldC']:
    for var in ['crop', 'lbox']:
        lev = 'conv5'
        Xtr, Ytr, Gtr = L.load(L.clips(fold, 'train'), var, lev)
        te = L.clips(fold, 'test'); P = np.load(f'probs/{fold}.{var}.{lev}.npy')
        out = []
        for j, t in enumerate(L.TOOLS):
            y = Ytr[:, j]
            if len(np.unique(y)) < 2: out.append(f'{t}: const'); continue
            pipe = make_pipeline(StandardScaler(), LogisticRegression(C=0.01, class_weight='balanced', max_iter=2000))
            tr_ap = AP(y, pipe.fit(Xtr, y).predict_proba(Xtr)[:, 1])
            cv = cross_val_predict(pipe, Xtr, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), method='predict_proba')[:, 1]
            out.append(f'{t}: trainAP {tr_ap:.3f} randomframeCV-AP {AP(y, cv):.3f}')
        print(fold, var, lev, ' | '.join(out))
        off = 0
        for c in te:
            z = np.load(f'feats/{c}.{var}.npz'); n = len(z['idx'])
            print('    ', f'{c:55s}', 'labels G/B/H', np.round(z['labels'][:, :3].mean(0), 2), 'mean prob G/B/H', np.round(P[off:off + n].mean(0), 2))
            off += n

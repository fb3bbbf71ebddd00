# The results of probe.py as Markdown tables, beside the from-scratch network's AP on the same splits (BASE).
import json, sys, numpy as np
R = json.load(open(sys.argv[1] if len(sys.argv) > 1 else 'results.json'))
BASE = {'foldA': (0.532, 0.100, 0.919), 'foldB': (0.444, None, 0.900), 'foldC': (0.676, 0.887, 0.720)}
f = lambda v: '  -  ' if v is None else f'{v:.3f}'
print('| split | variant | level | grasper AP | bipolar AP | hook AP | G+H mean | 1-tool acc (n) | C (G/B/H) | baseline G / B / H (G+H) |')
print('|---|---|---|---|---|---|---|---|---|---|')
for r in R:
    b = BASE[r['split']]
    print(f"| {r['split']} | {r['variant']} | {r['level']} | {f(r['Grasper'])} | {f(r['Bipolar'])} | {f(r['Hook'])} | {f(r['gh'])} | {f(r['acc1'])} ({r['n_one']}) | "
          f"{r.get('Grasper_C','-')}/{r.get('Bipolar_C','-')}/{r.get('Hook_C','-')} | {f(b[0])} / {f(b[1])} / {f(b[2])} ({f((b[0]+b[2])/2)}) |")
print('\nMean over the three splits (bipolar: mean over splits where defined):')
print('| variant | level | grasper | bipolar | hook | G+H | 1-tool acc |'); print('|---|---|---|---|---|---|---|')
for var in sorted({r['variant'] for r in R}):
    for lev in sorted({r['level'] for r in R}):
        rs = [r for r in R if r['variant'] == var and r['level'] == lev]
        m = lambda k: np.mean([r[k] for r in rs if r[k] is not None]) if any(r[k] is not None for r in rs) else None
        print(f"| {var} | {lev} | {f(m('Grasper'))} | {f(m('Bipolar'))} ({sum(r['Bipolar'] is not None for r in rs)} splits) | {f(m('Hook'))} | {f(m('gh'))} | {f(m('acc1'))} |")
mb = lambda i: np.mean([b[i] for b in BASE.values() if b[i] is not None])
print(f"| baseline | full depth | {mb(0):.3f} | {mb(1):.3f} (2 splits) | {mb(2):.3f} | {np.mean([(b[0] + b[2]) / 2 for b in BASE.values()]):.3f} | - |")
print('\nTest prevalence (AP of a random scorer):')
for r in R:
    if r['variant'] == 'crop' and r['level'] == 'conv5':
        print(r['split'], {t: round(r[t + '_prev'], 3) for t in ['Grasper', 'Bipolar', 'Hook'] if t + '_prev' in r}, 'train videos', r['train_videos'], 'n_train', r['n_train'], 'test', r['test_videos'], r['n_test'])

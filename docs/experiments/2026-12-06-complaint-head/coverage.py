import numpy as np, collections
from pathlib import Path
from amends.signals.engine.static import load_static
from amends.signals.learning import datasets
d = Path('/work/shared/data')
enc = load_static()
vocab = enc.wordpiece  # noqa
texts = {}
texts['acl'] = datasets.load_acl(d)[0]
texts['xci'] = [r['tweet'] for r in datasets.load_xci(d)]
for s in ('train', 'dev', 'test'): texts['go_' + s] = datasets.load_goemotions(d, s)[0]
texts['dav'] = datasets.load_davidson(d)[0]
texts['pay'] = datasets.load_payday_narratives(d)
texts['cfpb'] = datasets.load_cfpb(d)[0]
import csv
cnt = collections.Counter()
tot = 0
for k, ts in texts.items():
    for t in ts:
        ids = enc.ids(t); cnt.update(ids); tot += len(ids)
used = np.array(sorted(cnt))
print('texts', sum(map(len, texts.values())), 'tokens', tot, 'distinct ids', len(used))
np.save('/tmp/h14/head/used_ids.npy', used)
counts = np.zeros(30522, int)
for i, c in cnt.items(): counts[i] = c
np.save('/tmp/h14/head/token_counts.npy', counts)
for n in (5000, 10000, 15000, 20000, 25000, 30522):
    print(n, 'ids<n used', int((used < n).sum()), 'token share covered by ids<n', counts[:n].sum() / tot)

"""Cache MiniLM embeddings of acl texts and of an unlabelled pool (scratch)."""
import sys, time, numpy as np, json
from pathlib import Path
from amends.signals.engine import embeddings
from amends.signals.learning import datasets
d = Path('/work/shared/data'); out = Path('/tmp/h14/head')
rng = np.random.default_rng(0)
acl = datasets.load_acl(d)[0]
go = datasets.load_goemotions(d, 'train')[0]
dav = datasets.load_davidson(d)[0]
pay = [t[:500] for t in datasets.load_payday_narratives(d)]
cf = [t[:500] for t in datasets.load_cfpb(d)[0]]
pool = {'go': [go[i] for i in rng.permutation(len(go))[:8000]],
        'dav': [dav[i] for i in rng.permutation(len(dav))[:6000]],
        'pay': pay, 'cfpb': cf}
json.dump(pool, open(out / 'pool.json', 'w'))
t = time.time(); e = embeddings.embed(acl); np.save(out / 'emb_acl.npy', e); print('acl', time.time() - t, flush=True)
for k in ('pay', 'cfpb', 'dav', 'go'):
    t = time.time(); e = embeddings.embed(pool[k]); np.save(out / f'emb_{k}.npy', e); print(k, len(pool[k]), time.time() - t, flush=True)

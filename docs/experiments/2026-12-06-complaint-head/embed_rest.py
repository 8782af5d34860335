"""Session 4, for the next: MiniLM embeddings of the rest of GoEmotions train and Davidson, in teacher.pool's
seeded order (the first 8,000 / 6,000 are emb_go.npy / emb_dav.npy)."""
import time, numpy as np
from pathlib import Path
from amends.signals.engine import embeddings
from amends.signals.learning import datasets
d = Path('/work/shared/data'); out = Path('/tmp/h14/head')
rng = np.random.default_rng(0)
go = datasets.load_goemotions(d, 'train')[0]; dav = datasets.load_davidson(d)[0]
go_order = rng.permutation(len(go)); dav_order = rng.permutation(len(dav))
for name, texts in (('dav', [dav[i] for i in dav_order[6000:]]), ('go', [go[i] for i in go_order[8000:]])):
    t = time.time(); e = embeddings.embed(texts); np.save(out / f'emb_{name}_rest.npy', e)
    print(name, len(texts), time.time() - t, flush=True)

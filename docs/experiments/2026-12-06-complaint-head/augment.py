"""Two perturbed copies of every acl tweet (word dropout 0.2; a contiguous crop of 60-100% of the words with
dropout 0.1), seed 0; their MiniLM embeddings cached. Per fold only the training tweets' copies are used."""
import json, time, numpy as np
from pathlib import Path
from amends.signals.engine import embeddings
from amends.signals.learning import datasets
H = Path('/tmp/h14/head'); d = Path('/work/shared/data')
texts = datasets.load_acl(d)[0]
rng = np.random.default_rng(0)
def drop(words, p):
    keep = [w for w in words if rng.random() >= p]
    return keep or [words[int(rng.integers(len(words)))]]
aug, src = [], []
for i, t in enumerate(texts):
    w = t.split() or [t]
    aug.append(' '.join(drop(w, 0.2))); src.append(i)
    n = len(w); k = max(1, int(round(n * rng.uniform(0.6, 1.0)))); s = int(rng.integers(0, n - k + 1))
    aug.append(' '.join(drop(w[s:s + k], 0.1))); src.append(i)
json.dump({'texts': aug, 'src': src}, open(H / 'aug.json', 'w'))
t = time.time(); np.save(H / 'emb_aug.npy', embeddings.embed(aug)); print('aug', len(aug), time.time() - t, flush=True)

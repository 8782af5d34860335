"""Static vector mapped to MiniLM's embedding space by ridge regression fitted on the unlabelled pool (no acl text),
used in the stack in place of (or beside) the static vector."""
import sys, numpy as np
sys.path.insert(0, '/tmp/h14/head')
from sklearn.linear_model import Ridge
from amends.signals.engine import embeddings
from amends.signals.learning import distil
import harness as h
H = h.H
vocab = distil.vocabulary(embeddings.model_dir())
T = np.load(H / 'table256.npy')
V = h.sentences(T, h.token_ids(vocab, h.texts)); Vpos = h.sentences(T, h.token_ids(vocab, h.positive))
Xp = np.r_[tuple(h.sentences(T, h.token_ids(vocab, h.pool[k])) for k in h.POOL_KEYS)]
Yp = np.r_[tuple(h.emb(k) for k in h.POOL_KEYS)]
F = h.folds()
for alpha in (0.1, 1.0):
    r = Ridge(alpha=alpha).fit(Xp, Yp)
    M = r.predict(V); Mp = r.predict(Vpos)
    n = lambda a: a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-9)
    print('ridge', alpha, 'r2', r.score(Xp, Yp), 'mapped', h.stacked_score(n(M), F, n(Mp)), flush=True)
    print('ridge', alpha, 'static + mapped', h.stacked_score(np.c_[V, n(M)], F, np.c_[Vpos, n(Mp)]), flush=True)

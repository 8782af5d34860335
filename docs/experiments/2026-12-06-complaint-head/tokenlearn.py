"""Tokenlearn (linear): token vectors O + D so that the mean of a text's token vectors regresses the MiniLM
sentence embedding (scaled to the student's norm), ridge towards O; then PCA 256 + SIF as distil.reduce."""
import sys, numpy as np, scipy.sparse as sp, time
sys.path.insert(0, '/tmp/h14/head')
from amends.signals.engine import embeddings
from amends.signals.learning import distil
import harness as h
H = h.H
vocab = distil.vocabulary(embeddings.model_dir())
O = np.load(H / 'outputs.npy').astype(np.float64)
unused = np.array([t.startswith('[unused') for t in vocab])
keys = h.POOL_KEYS
texts = [t for k in keys for t in h.pool[k]]
Y = np.r_[tuple(h.emb(k) for k in keys)].astype(np.float64)
ids = h.token_ids(vocab, texts)
rows, cols, vals = [], [], []
keep = []
for i, t in enumerate(ids):
    if not t: continue
    u, c = np.unique(t, return_counts=True)
    r = len(keep); keep.append(i)
    rows += [r] * len(u); cols += list(u); vals += list(c / len(t))
A = sp.csr_matrix((vals, (rows, cols)), shape=(len(keep), len(vocab)))
Y = Y[keep]
P = A @ O
Yt = Y * np.linalg.norm(P, axis=1, keepdims=True)
R = Yt - P
print('texts', A.shape[0], 'nnz', A.nnz, 'cos before', float(np.mean((P * Y).sum(1) / np.linalg.norm(P, axis=1))), flush=True)
AT = A.T.tocsr()
B = AT @ R
def solve(lam, iters=150):
    D = np.zeros_like(B); r = B.copy(); p = r.copy(); rs = (r * r).sum(0)
    for it in range(iters):
        Ap = AT @ (A @ p) + lam * p
        alpha = rs / np.maximum((p * Ap).sum(0), 1e-30)
        D += p * alpha; r -= Ap * alpha
        rs2 = (r * r).sum(0); p = r + p * (rs2 / np.maximum(rs, 1e-30)); rs = rs2
    return D
ids_acl = h.token_ids(vocab, h.texts); ids_pos = h.token_ids(vocab, h.positive)
F = h.folds()
for lam in [float(x) for x in sys.argv[1:]] or [0.01]:
    t = time.time(); D = solve(lam)
    E = O + D
    Q = A @ E
    print('lam', lam, 'cos after', float(np.mean((Q * Y).sum(1) / np.linalg.norm(Q, axis=1))), 'solve', time.time() - t, flush=True)
    full = np.zeros((len(vocab), 256), np.float32)
    full[~unused] = distil.reduce(E[~unused].astype(np.float32), 256, 1e-4)[0]
    np.save(H / f'table_tl_{lam}.npy', full)
    print('tokenlearn lam', lam, h.stacked_score(h.sentences(full, ids_acl), F, h.sentences(full, ids_pos)), flush=True)

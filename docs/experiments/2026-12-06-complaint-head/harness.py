"""Scratch harness on the cached folds (same outer folds / nested choices as evaluation.stacked_cv)."""
import json, pickle, numpy as np
from pathlib import Path
from sklearn.metrics import f1_score
from sklearn.linear_model import LogisticRegression
from amends.signals.learning import datasets, recipes
from amends.signals.engine.wordpiece import WordPiece
H = Path('/tmp/h14/head'); d = Path('/work/shared/data')
texts, y, dom = datasets.load_acl(d)
positive = recipes.complaint_extra_positive(d)
pool = json.load(open(H / 'pool.json'))
POOL_KEYS = ('go', 'dav', 'pay', 'cfpb')
def folds():
    return pickle.load(open(H / 'folds.pkl', 'rb'))
def emb(key):
    return np.load(H / f'emb_{key}.npy')
_wp = {}
def token_ids(vocab, ts):
    wp = WordPiece(vocab)
    return [wp.ids(t) for t in ts]
def sentences(table, ids_list):
    out = np.zeros((len(ids_list), table.shape[1]), np.float32)
    for i, ids in enumerate(ids_list):
        if ids:
            v = table[ids].mean(0); n = float(np.linalg.norm(v))
            out[i] = v / n if n > 0 else v
    return out
def stacked_score(V, F, Vpos=None, extra=None, fixedC=None):
    """V: acl vectors; F: folds; Vpos: positives' vectors (CFPB, weight 0.1 as shipped); extra(f) -> (X, y, w)
    more rows for the final fit of the stack."""
    pred = np.empty_like(y); alone = np.empty_like(y)
    for f in F:
        tr, te = f['tr'], f['te']
        X = np.c_[V[tr], f['inner']]; yy = y[tr]
        if fixedC is None:
            C = recipes.choose_c(X, yy, recipes.STACK_C_GRID, lambda r, t, C: LogisticRegression(C=C, max_iter=5000).fit(np.asarray(r), t))
        else:
            C = fixedC
        w = np.ones(len(yy))
        if Vpos is not None:
            X = np.r_[X, np.c_[Vpos, f['positive']]]; yy = np.r_[yy, np.ones(len(Vpos), int)]; w = np.r_[w, np.full(len(Vpos), 0.1)]
        if extra is not None:
            Xe, ye, we = extra(f)
            X = np.r_[X, Xe]; yy = np.r_[yy, ye]; w = np.r_[w, we]
        m = LogisticRegression(C=C, max_iter=5000).fit(X, yy, sample_weight=w)
        pred[te] = m.predict(np.c_[V[te], f['test']])
        alone[te] = ((f['test'] if f['test'].ndim == 1 else f['test'][:, 0]) >= 0).astype(int)
    return float(f1_score(y, pred, average='macro')), float(f1_score(y, alone, average='macro'))

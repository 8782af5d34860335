"""Stacker-level variants on the cached folds: extra pooled features, nonlinear stackers."""
import sys, numpy as np
sys.path.insert(0, '/tmp/h14/head')
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.metrics import f1_score
from amends.signals.engine import embeddings
from amends.signals.learning import distil, recipes
import harness as h
H = h.H; y = h.y
vocab = distil.vocabulary(embeddings.model_dir())
T = np.load(H / 'table256.npy')
ids = h.token_ids(vocab, h.texts); ids_pos = h.token_ids(vocab, h.positive)
V = h.sentences(T, ids); Vpos = h.sentences(T, ids_pos)
F = h.folds()
def maxpool(T, L):
    out = np.zeros((len(L), T.shape[1]), np.float32)
    for i, t in enumerate(L):
        if t: out[i] = np.abs(T[t]).max(0) * np.sign(T[t].sum(0))
    return out
def unnorm_mean(T, L):
    out = np.zeros((len(L), T.shape[1]), np.float32)
    for i, t in enumerate(L):
        if t: out[i] = T[t].mean(0)
    return out
print('base', h.stacked_score(V, F, Vpos), flush=True)
M = maxpool(T, ids); Mp = maxpool(T, ids_pos)
s = np.linalg.norm(M, axis=1).mean()
print('mean+maxpool', h.stacked_score(np.c_[V, M / s], F, np.c_[Vpos, Mp / s]), flush=True)
U = unnorm_mean(T, ids); Up = unnorm_mean(T, ids_pos); su = np.linalg.norm(U, axis=1).mean()
print('mean + unnormalised mean', h.stacked_score(np.c_[V, U / su], F, np.c_[Vpos, Up / su]), flush=True)
lens = np.log1p([len(t) for t in ids]); lp = np.log1p([len(t) for t in ids_pos])
print('+ log token count', h.stacked_score(np.c_[V, lens / 4], F, np.c_[Vpos, lp / 4]), flush=True)
# nonlinear: MLP on [static, logit], alpha by inner CV
pred = np.empty_like(y)
for f in F:
    X = np.c_[V[f['tr']], f['inner']]
    fit = lambda r, t, C: MLPClassifier((64,), alpha=1.0 / C, max_iter=400, random_state=0, early_stopping=False).fit(np.asarray(r), t)
    C = recipes.choose_c(X, y[f['tr']], (0.3, 1.0, 3.0), fit)
    pred[f['te']] = fit(X, y[f['tr']], C).predict(np.c_[V[f['te']], f['test']])
print('MLP64 (no CFPB positives)', f1_score(y, pred, average='macro'), flush=True)

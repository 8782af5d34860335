"""KD into the stacker: teacher = MiniLM + TF-IDF logit stack fitted on the training fold; its soft labels on
unlabelled pool texts join the student's (static + logit) final fit."""
import sys, time, numpy as np
sys.path.insert(0, '/tmp/h14/head')
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from amends.signals.engine import embeddings
from amends.signals.learning import distil, recipes
import harness as h
H = h.H; y = h.y
vocab = distil.vocabulary(embeddings.model_dir())
T = np.load(H / 'table256.npy')
V = h.sentences(T, h.token_ids(vocab, h.texts)); Vpos = h.sentences(T, h.token_ids(vocab, h.positive))
Vpool = {k: h.sentences(T, h.token_ids(vocab, h.pool[k])) for k in h.POOL_KEYS}
E = h.emb('acl'); Epool = {k: h.emb(k) for k in h.POOL_KEYS}
F = h.folds()
fit = lambda r, t, C: LogisticRegression(C=C, max_iter=5000).fit(np.asarray(r), t)
tpred = np.empty_like(y)
for f in F:
    X = np.c_[E[f['tr']], f['inner']]
    C = recipes.choose_c(X, y[f['tr']], recipes.STACK_C_GRID, fit)
    teacher = fit(X, y[f['tr']], C)
    tpred[f['te']] = teacher.predict(np.c_[E[f['te']], f['test']])
    f['teach'] = {k: teacher.predict_proba(np.c_[Epool[k], f['pool_' + k]])[:, 1] for k in h.POOL_KEYS}
import pickle; pickle.dump([f['teach'] for f in F], open(H / 'teach.pkl', 'wb'))
print('teacher', f1_score(y, tpred, average='macro'), flush=True)
for k in h.POOL_KEYS:
    print(k, 'mean teacher p', np.mean([f['teach'][k].mean() for f in F]))
print('student base', h.stacked_score(V, F, Vpos), flush=True)
def extra(keys, w, hard=False):
    def g(f):
        X = np.r_[tuple(np.c_[Vpool[k], f['pool_' + k]] for k in keys)]
        p = np.r_[tuple(f['teach'][k] for k in keys)]
        if hard:
            return X, (p >= 0.5).astype(int), np.full(len(p), w)
        return np.r_[X, X], np.r_[np.ones(len(p), int), np.zeros(len(p), int)], np.r_[w * p, w * (1 - p)]
    return g
for keys in (('go', 'dav'), ('go', 'dav', 'pay', 'cfpb'), ('dav',)):
    for w in (0.1, 0.3, 1.0):
        print(keys, w, h.stacked_score(V, F, Vpos, extra(keys, w)), flush=True)
print('hard all 0.3', h.stacked_score(V, F, Vpos, extra(('go', 'dav', 'pay', 'cfpb'), 0.3, True)), flush=True)

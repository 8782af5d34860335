"""KD into the TF-IDF part: the fold's TF-IDF LR also learns the teacher's soft labels on pool texts (each
pool text twice: complaint at weight w*p, not at w*(1-p)); C = the fold's chosen C; its training logits
cross-fitted with the same pool rows; then the static stack as shipped."""
import sys, time, pickle, numpy as np
sys.path.insert(0, '/tmp/h14/head')
from amends.signals.engine import embeddings
from amends.signals.learning import distil, recipes
from amends.signals.learning.recipes import CachedAnalyzer, fit_linear, COMPLAINT_CHAR_WEIGHT, EXTRA_NOT_WEIGHT
from sklearn.model_selection import StratifiedKFold
import harness as h
H = h.H; y = h.y; texts = h.texts
keys = sys.argv[1].split(','); w = float(sys.argv[2]); nmax = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
tag = sys.argv[4] if len(sys.argv) > 4 else ''
vocab = distil.vocabulary(embeddings.model_dir())
T = np.load(H / 'table256.npy')
V = h.sentences(T, h.token_ids(vocab, texts)); Vpos = h.sentences(T, h.token_ids(vocab, h.positive))
F = h.folds(); teach = pickle.load(open(H / 'teach.pkl', 'rb'))
extra_not = recipes.complaint_extra_not(h.d)
an = CachedAnalyzer()
ptexts = [t for k in keys for t in h.pool[k][:nmax]]
def fit(tr_texts, tr_y, p, C):
    X = list(tr_texts) + extra_not + ptexts + ptexts
    Y = np.r_[tr_y, np.zeros(len(extra_not), int), np.ones(len(p), int), np.zeros(len(p), int)]
    W = np.r_[np.ones(len(tr_y)), np.full(len(extra_not), EXTRA_NOT_WEIGHT), w * p, w * (1 - p)]
    return fit_linear(X, Y, C=C, sample_weight=W, analyzer=an, char_weight=COMPLAINT_CHAR_WEIGHT)
G = []
t0 = time.time()
for f, tp in zip(F, teach):
    p = np.r_[tuple(tp[k][:nmax] for k in keys)]
    tr = f['tr']; trt = [texts[i] for i in tr]
    m = fit(trt, y[tr], p, f['C'])
    inner = np.empty(len(tr))
    for a, b in StratifiedKFold(recipes.CROSS_FIT_FOLDS, shuffle=True, random_state=2).split(trt, y[tr]):
        inner[b] = fit([trt[i] for i in a], y[tr][a], p, f['C']).logits([trt[i] for i in b])
    G.append({'tr': tr, 'te': f['te'], 'inner': inner, 'test': m.logits([texts[i] for i in f['te']]),
              'positive': m.logits(h.positive)})
    print('fold', len(G), time.time() - t0, flush=True)
pickle.dump(G, open(H / f'folds_kd2_{tag or "_".join(keys)}_{w}.pkl', 'wb'))
print('KD2', keys, w, nmax, 'stacked/tfidf', h.stacked_score(V, G, Vpos), flush=True)

"""KD on perturbed copies of the training tweets (augment.py): per outer fold, the teacher (MiniLM + TF-IDF
logit stack, C by inner CV, fitted on the fold's training rows) labels the fold's training tweets' copies
(their TF-IDF logits from the cross-fit model that did not see the source tweet); the student's TF-IDF part
learns the copies' soft labels at weight w (TARGET tfidf) and/or its stack does (TARGET stack)."""
import sys, time, json, pickle, numpy as np
sys.path.insert(0, '/tmp/h14/head')
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import f1_score
from amends.signals.engine import embeddings
from amends.signals.learning import distil, recipes
from amends.signals.learning.recipes import CachedAnalyzer, fit_linear, COMPLAINT_CHAR_WEIGHT, EXTRA_NOT_WEIGHT
import harness as h
H = h.H; y = h.y; texts = h.texts
w = float(sys.argv[1]); target = sys.argv[2]  # tfidf | stack | both
vocab = distil.vocabulary(embeddings.model_dir())
T = np.load(H / 'table256.npy')
V = h.sentences(T, h.token_ids(vocab, texts)); Vpos = h.sentences(T, h.token_ids(vocab, h.positive))
A = json.load(open(H / 'aug.json')); atexts = A['texts']; asrc = np.array(A['src'])
Eaug = np.load(H / 'emb_aug.npy'); E = h.emb('acl')
Vaug = h.sentences(T, h.token_ids(vocab, atexts))
F = h.folds()
extra_not = recipes.complaint_extra_not(h.d)
an = CachedAnalyzer()
def fit(tr_texts, tr_y, C, kd=None):
    X = list(tr_texts) + extra_not; Y = np.r_[tr_y, np.zeros(len(extra_not), int)]
    W = np.r_[np.ones(len(tr_y)), np.full(len(extra_not), EXTRA_NOT_WEIGHT)]
    if kd is not None:
        kt, p = kd
        X += kt + kt; Y = np.r_[Y, np.ones(len(p), int), np.zeros(len(p), int)]; W = np.r_[W, w * p, w * (1 - p)]
    return fit_linear(X, Y, C=C, sample_weight=W, analyzer=an, char_weight=COMPLAINT_CHAR_WEIGHT)
lr = lambda r, t, C: LogisticRegression(C=C, max_iter=5000).fit(np.asarray(r), t)
G = []; t0 = time.time(); tpred = np.empty_like(y)
for f in F:
    tr, te, C = f['tr'], f['te'], f['C']
    pos = {i: k for k, i in enumerate(tr)}
    trt = [texts[i] for i in tr]
    mine = np.where(np.isin(asrc, tr))[0]
    if len(sys.argv) > 3 and sys.argv[3] == 'one':
        mine = mine[mine % 2 == 0]  # the word-dropout copy only
    alog = np.empty(len(mine))
    splits = list(StratifiedKFold(recipes.CROSS_FIT_FOLDS, shuffle=True, random_state=2).split(trt, y[tr]))
    for a, b in splits:  # the copies of each inner held-out tweet scored by the model that did not see it
        held = set(tr[b]); sel = [j for j, m in enumerate(mine) if asrc[m] in held]
        m = fit([trt[i] for i in a], y[tr][a], C)
        alog[sel] = m.logits([atexts[mine[j]] for j in sel])
    X = np.c_[E[tr], f['inner']]
    Ct = recipes.choose_c(X, y[tr], recipes.STACK_C_GRID, lr)
    teacher = lr(X, y[tr], Ct)
    tpred[te] = teacher.predict(np.c_[E[te], f['test']])
    p = teacher.predict_proba(np.c_[Eaug[mine], alog])[:, 1]
    kt = [atexts[m] for m in mine]
    g = dict(f)
    if target in ('tfidf', 'both'):
        inner = np.empty(len(tr))
        for a, b in splits:
            held = set(tr[a]); sel = [j for j, m in enumerate(mine) if asrc[m] in held]
            m = fit([trt[i] for i in a], y[tr][a], C, ([kt[j] for j in sel], p[sel]))
            inner[b] = m.logits([trt[i] for i in b])
        m = fit(trt, y[tr], C, (kt, p))
        g.update(inner=inner, test=m.logits([texts[i] for i in te]), positive=m.logits(h.positive))
        g['aug_logit'] = m.logits(kt)
    else:
        g['aug_logit'] = alog
    g['aug_V'] = Vaug[mine]; g['aug_p'] = p
    G.append(g)
    print('fold', len(G), round(time.time() - t0), flush=True)
print('teacher', f1_score(y, tpred, average='macro'), flush=True)
pickle.dump(G, open(H / f'folds_kd3_{target}_{w}_{sys.argv[3] if len(sys.argv) > 3 else "two"}.pkl', 'wb'))
def extra(g):
    X = np.c_[g['aug_V'], g['aug_logit']]; p = g['aug_p']
    return np.r_[X, X], np.r_[np.ones(len(p), int), np.zeros(len(p), int)], np.r_[w * p, w * (1 - p)]
print('KD3', target, w, 'stack on labels only', h.stacked_score(V, G, Vpos), flush=True)
if target in ('stack', 'both'):
    print('KD3', target, w, 'stack with copies', h.stacked_score(V, G, Vpos, extra), flush=True)

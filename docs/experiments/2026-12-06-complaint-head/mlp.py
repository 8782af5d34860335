"""Session 5: a non-linear student. In each outer fold, the shipped taught TF-IDF fit as bigpool_student.py;
then an MLP (one hidden layer of HIDDEN relu units, adam, ALPHA, EPOCHS passes) on the same TF-IDF rows the
linear fit saw (training tweets, the warm GoEmotions texts at EXTRA_NOT_WEIGHT, each pool text twice at
0.5 x p and 0.5 x (1-p)). Compares the two alone on the test fold (no stack). Saves both predictions.
LABELS GO DAV HIDDEN ALPHA EPOCHS FOLDS OUT; score: python THIS --score OUT"""
import sys, time, warnings, numpy as np
from pathlib import Path
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier
from amends.signals.learning import datasets, recipes, teacher
from amends.signals.learning.recipes import CachedAnalyzer, EXTRA_NOT_WEIGHT
d = Path('../shared/data')
texts, y, _ = datasets.load_acl(d)
if sys.argv[1] == '--score':
    z = np.load(sys.argv[2]); te = z['te']
    for name in ('linear', 'mlp'):
        print(name, round(f1_score(y[te], z[name], average='macro'), 4), 'on', len(te), 'tweets')
    sys.exit()
labels, go_rows, dav_rows, hidden, alpha, epochs, wanted, out = sys.argv[1:9]
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = int(go_rows), int(dav_rows)
pool = teacher.pool(d)
raw = np.load(labels)['folds']
wanted = [int(k) for k in wanted.split(',')]
analyzer = CachedAnalyzer()
extra_not = recipes.complaint_extra_not(d)
keep = {'te': [], 'linear': [], 'mlp': []}
for k, (tr, te) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(texts, y)):
    if k not in wanted:
        continue
    t0 = time.time()
    taught = recipes.Teaching(pool, teacher._known(raw[k]), 0.5)
    train_texts = [texts[i] for i in tr]
    tfidf = recipes.fit_complaint(train_texts, y[tr], analyzer=analyzer, extra_not=extra_not, teach=taught)
    more, more_y, more_w = taught.rows()
    X = tfidf.vectorizer.transform(train_texts + list(extra_not) + more)
    Y = np.r_[y[tr], np.zeros(len(extra_not), int), more_y]
    W = np.r_[np.ones(len(tr)), np.full(len(extra_not), EXTRA_NOT_WEIGHT), more_w]
    mlp = MLPClassifier((int(hidden),), alpha=float(alpha), max_iter=int(epochs), random_state=0,
                        batch_size=256, learning_rate_init=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        mlp.fit(X, Y, sample_weight=W)
    test = [texts[i] for i in te]
    keep['te'].append(te); keep['linear'].append((tfidf.logits(test) >= 0).astype(int))
    keep['mlp'].append(mlp.predict(tfidf.vectorizer.transform(test)))
    f = lambda p: round(f1_score(y[te], p, average='macro'), 4)
    print(f'fold {k}: {time.time() - t0:.0f} s, linear {f(keep["linear"][-1])}, mlp {f(keep["mlp"][-1])}', flush=True)
    np.savez(out, **{name: np.concatenate(v) for name, v in keep.items()})

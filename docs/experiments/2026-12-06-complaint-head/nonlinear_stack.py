"""Session 5 (stacked): nonlinear.py's student in the shipped stack, in place of the TF-IDF part: its
logit on the training tweets cross-fitted 5-fold (recipes.CROSS_FIT_FOLDS, seed 2, as cross_fitted_logits),
then fit_stacked on [static vector, logit] with the CFPB positives, as stacked_cv. Below, nonlinear.py's note.
Session 5: a non-linear student, trained with PyTorch (build time only; the runtime would be numpy).
Wide and deep over the complaint head's own TF-IDF rows (the vectorizer of fit_linear on the same texts):
logit = w . x + v . relu(E^T x + b) (+ c), E a HIDDEN-wide embedding of every feature, trained on the fold's
training tweets (hard labels, weight 1), the warm GoEmotions texts (not, EXTRA_NOT_WEIGHT) and the pool
(BCE against the fold teacher's p, weight 0.5; narratives p = 1), EPOCHS passes, adam (sparse for the
feature tables), L2 on the wide weights as LR's C would give. Compares the student alone with the linear
TF-IDF part alone (the shipped recipe, from a bigpool_student.py run's npz, BASE). Run with a Python that has
torch (a scratch venv with torch==2.13.0 from this machine's disk and the project's site-packages on its path):
LABELS GO DAV HIDDEN EPOCHS FOLDS BASE OUT"""
import sys, time, numpy as np, torch
from pathlib import Path
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
sys.path.insert(0, 'src')
from amends.signals.learning import datasets, recipes, teacher
from amends.signals.learning.recipes import CachedAnalyzer, EXTRA_NOT_WEIGHT, COMPLAINT_CHAR_WEIGHT, fit_linear
torch.set_num_threads(1); torch.manual_seed(0)
d = Path('../shared/data')
texts, y, _ = datasets.load_acl(d)
labels, go_rows, dav_rows, hidden, epochs, wanted, base, out = sys.argv[1:9]
hidden, epochs = int(hidden), int(epochs)
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = int(go_rows), int(dav_rows)
pool = teacher.pool(d)
raw = np.load(labels)['folds']
wanted = [int(k) for k in wanted.split(',')]
analyzer = CachedAnalyzer()
extra_not = recipes.complaint_extra_not(d)
b = np.load(base); alone = np.full(len(y), -1); alone[b['te']] = b['alone']


class WideDeep(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.wide = torch.nn.EmbeddingBag(n, 1, mode='sum', sparse=True)
        self.deep = torch.nn.EmbeddingBag(n, hidden, mode='sum', sparse=True)
        torch.nn.init.zeros_(self.wide.weight); torch.nn.init.normal_(self.deep.weight, 0, 0.1)
        self.bias = torch.nn.Parameter(torch.zeros(hidden)); self.out = torch.nn.Linear(hidden, 1)

    def forward(self, idx, offsets, vals):
        h = torch.relu(self.deep(idx, offsets, per_sample_weights=vals) + self.bias)
        return (self.wide(idx, offsets, per_sample_weights=vals) + self.out(h)).squeeze(1)


def bags(X, rows):
    sub = X[rows]
    return (torch.from_numpy(sub.indices.astype(np.int64)), torch.from_numpy(sub.indptr[:-1].astype(np.int64)),
            torch.from_numpy(sub.data.astype(np.float32)))


def train(X, target, weight):
    model = WideDeep(X.shape[1])
    sparse = torch.optim.SparseAdam(list(model.wide.parameters()) + list(model.deep.parameters()), lr=3e-3)
    dense = torch.optim.Adam([model.bias] + list(model.out.parameters()), lr=3e-3)
    t, w = torch.from_numpy(target.astype(np.float32)), torch.from_numpy(weight.astype(np.float32))
    gen = np.random.default_rng(0)
    for _ in range(epochs):
        for batch in np.array_split(gen.permutation(X.shape[0]), X.shape[0] // 256):
            idx, off, vals = bags(X, batch)
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(model(idx, off, vals), t[batch],
                                                                         reduction='none') * w[batch]).sum() / w[batch].sum()
            sparse.zero_grad(); dense.zero_grad(); loss.backward(); sparse.step(); dense.step()
    return model


from amends.signals.engine import static
extra_positive = recipes.complaint_extra_positive(d)
embedded = static.encode(texts); extra_vectors = static.encode(list(extra_positive))


def student(train_idx, p):
    rows = [texts[i] for i in train_idx] + list(extra_not) + list(pool)
    target = np.r_[y[train_idx], np.zeros(len(extra_not)), p]
    weight = np.r_[np.ones(len(train_idx)), np.full(len(extra_not), EXTRA_NOT_WEIGHT), np.full(len(pool), 0.5)]
    vec = fit_linear(rows, (target >= 0.5).astype(int), C=1.0, analyzer=analyzer,
                     char_weight=COMPLAINT_CHAR_WEIGHT).vectorizer  # only its vocabulary and idf are used
    model = train(vec.transform(rows).tocsr(), target, weight)

    def logits(some):
        with torch.no_grad():
            return model(*bags(vec.transform(list(some)).tocsr(), np.arange(len(some)))).numpy()
    return logits


keep = {'te': [], 'pred': [], 'alone': []}
for k, (tr, te) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(texts, y)):
    if k not in wanted:
        continue
    t0 = time.time()
    p = teacher._known(raw[k])
    full = student(tr, p)
    inner = np.empty(len(tr))
    for a, b in StratifiedKFold(recipes.CROSS_FIT_FOLDS, shuffle=True, random_state=2).split(tr, y[tr]):
        inner[b] = student(tr[a], p)([texts[i] for i in tr[b]])
    stacked = recipes.fit_stacked(embedded[tr], inner, y[tr], (extra_vectors, full(extra_positive)))
    z = full([texts[i] for i in te])
    keep['te'].append(te); keep['pred'].append(stacked.predict(np.c_[embedded[te], z]))
    keep['alone'].append((z >= 0).astype(int))
    f = lambda q: round(f1_score(y[te], q, average='macro'), 4)
    print(f'fold {k}: {time.time() - t0:.0f} s, linear alone {f(alone[te])}, student alone {f(keep["alone"][-1])}, '
          f'stacked {f(keep["pred"][-1])}', flush=True)
    np.savez(out, **{name: np.concatenate(v) for name, v in keep.items()})

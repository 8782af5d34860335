"""Session 6: lowering the convolution's seed-to-seed spread. In each fold, two convolutions (the package's
numpy trainer) from the same initial weights (seed k) over two row orders (seeds 1000 + k, 2000 + k); then
on the test fold, each stored as shipped and meaned with the TF-IDF logit: A alone, B alone, the mean of
A's and B's logits (an ensemble: two tables to ship), and one model whose every weight is the mean of A's
and B's (a "soup": one table, as today). LABELS GO DAV FOLDS OUT (as cnn.py)."""
import sys, time, numpy as np
from pathlib import Path
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
sys.path.insert(0, 'src')
from amends.signals.engine import static
from amends.signals.engine.convolution import Convolution
from amends.signals.learning import convolution, datasets, recipes, teacher
from amends.signals.learning.recipes import CachedAnalyzer
d = Path('../shared/data')
texts, y, _ = datasets.load_acl(d)
labels, go_rows, dav_rows, wanted, out = sys.argv[1:6]
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = int(go_rows), int(dav_rows)
pool = teacher.pool(d)
raw = np.load(labels)['folds']
wanted = [int(k) for k in wanted.split(',')]
analyzer = CachedAnalyzer()
extra_not = recipes.complaint_extra_not(d)
enc = static.load_static()
original = convolution._initial
names = ('linear', 'a', 'b', 'ensemble', 'soup')
keep = {n: [] for n in ('te',) + names}
for k, (tr, te) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(texts, y)):
    if k not in wanted:
        continue
    t0 = time.time()
    taught = recipes.Teaching(pool, teacher._known(raw[k]), 0.5)
    train_texts = [texts[i] for i in tr]; test = [texts[i] for i in te]
    tfidf = recipes.fit_complaint(train_texts, y[tr], analyzer=analyzer, extra_not=extra_not, teach=taught)
    rows = convolution.rows(train_texts, y[tr], extra_not, taught)
    convolution._initial = lambda table, dim, gen: original(table, dim, np.random.default_rng(k))
    a = convolution.fit(*rows, seed=1000 + k)
    b = convolution.fit(*rows, seed=2000 + k)
    convolution._initial = original
    soup = Convolution(*((x + y_) / 2 for x, y_ in zip((a.table, a.kernel, a.bias, a.out, a.out_bias),
                                                        (b.table, b.kernel, b.bias, b.out, b.out_bias))))
    ids = [enc.ids(t) for t in test]
    za, zb, zs = (convolution.quantised(m, enc.table)[0].logits(ids) for m in (a, b, soup))
    zl = tfidf.logits(test)
    keep['te'].append(te)
    for name, z in (('linear', zl), ('a', zl + za), ('b', zl + zb), ('ensemble', zl + (za + zb) / 2), ('soup', zl + zs)):
        keep[name].append((z >= 0).astype(int))
    f = lambda q: round(f1_score(y[te], q, average='macro'), 4)
    print(f'fold {k}: {time.time() - t0:.0f} s, ' + ', '.join(f'{n} {f(keep[n][-1])}' for n in names), flush=True)
    np.savez(out, **{name: np.concatenate(v) for name, v in keep.items()})

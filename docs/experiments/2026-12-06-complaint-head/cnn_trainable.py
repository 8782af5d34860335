"""Session 6: cnn.py with the token vectors trainable (initialised from the shipped static table, SparseAdam
at the same rate), the rest unchanged; env SEED_OFFSET adds to each fold's seed; logits saved too. Session 5's text follows.
Session 5, for the next: a student that reads word order. A one-layer convolution (width 3, FILTERS
filters, relu, max and mean over the text) over the shipped static table's token vectors (frozen; the
same WordPiece ids as static.encode, at most 64 a text), then one linear unit: fitted with PyTorch to the
fold teacher's p on the pool (weight 0.5; narratives p = 1), the training tweets' labels (1) and the warm
GoEmotions texts (not, EXTRA_NOT_WEIGHT), EPOCHS passes, adam 1e-3, batch 64. Reports on each test fold
the shipped taught TF-IDF part alone, the CNN alone and the mean of their logits (fixed in advance, no
choice on the test fold). LABELS GO DAV FILTERS EPOCHS FOLDS OUT; needs torch (see nonlinear.py)."""
import sys, time, numpy as np, torch
from pathlib import Path
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
sys.path.insert(0, 'src')
from amends.signals.engine import static
from amends.signals.learning import datasets, recipes, teacher
from amends.signals.learning.recipes import CachedAnalyzer, EXTRA_NOT_WEIGHT
torch.set_num_threads(1)
d = Path('../shared/data')
texts, y, _ = datasets.load_acl(d)
labels, go_rows, dav_rows, filters, epochs, wanted, out = sys.argv[1:8]
filters, epochs = int(filters), int(epochs)
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = int(go_rows), int(dav_rows)
pool = teacher.pool(d)
raw = np.load(labels)['folds']
wanted = [int(k) for k in wanted.split(',')]
analyzer = CachedAnalyzer()
extra_not = recipes.complaint_extra_not(d)
enc = static.load_static()
table = torch.from_numpy(enc.table.astype(np.float32))
MAXLEN = 64


def ids(batch_texts):
    rows = [enc.ids(t)[:MAXLEN] or [0] for t in batch_texts]
    width = max(3, max(len(r) for r in rows))
    idx = torch.zeros((len(rows), width), dtype=torch.long); mask = torch.zeros((len(rows), width))
    for i, r in enumerate(rows):
        idx[i, :len(r)] = torch.tensor(r); mask[i, :len(r)] = 1
    return idx, mask


class CNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding.from_pretrained(table.clone(), freeze=False, sparse=True)
        self.conv = torch.nn.Conv1d(table.shape[1], filters, 3, padding=1)
        self.out = torch.nn.Linear(2 * filters, 1)

    def forward(self, idx, mask):
        h = torch.relu(self.conv(self.emb(idx).transpose(1, 2))) * mask[:, None, :]
        pooled = torch.cat([h.max(2).values, h.sum(2) / mask.sum(1, keepdim=True)], 1)
        return self.out(pooled).squeeze(1)


def train(rows, target, weight, seed):
    torch.manual_seed(seed); gen = np.random.default_rng(seed)
    model = CNN()
    dense = [q for n, q in model.named_parameters() if not n.startswith('emb.')]
    opts = [torch.optim.Adam(dense, lr=1e-3), torch.optim.SparseAdam(list(model.emb.parameters()), lr=1e-3)]
    t, w = torch.tensor(target, dtype=torch.float32), torch.tensor(weight, dtype=torch.float32)
    order_by_len = None
    for _ in range(epochs):
        for batch in np.array_split(gen.permutation(len(rows)), len(rows) // 64):
            idx, mask = ids([rows[i] for i in batch])
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(model(idx, mask), t[batch], reduction='none')
                    * w[batch]).sum() / w[batch].sum()
            for opt in opts:
                opt.zero_grad()
            loss.backward()
            for opt in opts:
                opt.step()
    return model


def logits(model, some):
    out = []
    with torch.no_grad():
        for i in range(0, len(some), 256):
            out.append(model(*ids(some[i:i + 256])).numpy())
    return np.concatenate(out)


keep = {'te': [], 'linear': [], 'cnn': [], 'mean': [], 'zl': [], 'zc': []}
for k, (tr, te) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(texts, y)):
    if k not in wanted:
        continue
    t0 = time.time()
    p = teacher._known(raw[k])
    train_texts = [texts[i] for i in tr]; test = [texts[i] for i in te]
    tfidf = recipes.fit_complaint(train_texts, y[tr], analyzer=analyzer, extra_not=extra_not,
                                  teach=recipes.Teaching(pool, p, 0.5))
    rows = train_texts + list(extra_not) + list(pool)
    target = np.r_[y[tr], np.zeros(len(extra_not)), p]
    weight = np.r_[np.ones(len(tr)), np.full(len(extra_not), EXTRA_NOT_WEIGHT), np.full(len(pool), 0.5)]
    model = train(rows, target, weight, seed=k + int(__import__('os').environ.get('SEED_OFFSET', 0)))
    zl, zc = tfidf.logits(test), logits(model, test)
    keep['te'].append(te); keep['zl'].append(zl); keep['zc'].append(zc)
    for name, z in (('linear', zl), ('cnn', zc), ('mean', (zl + zc) / 2)):
        keep[name].append((z >= 0).astype(int))
    f = lambda q: round(f1_score(y[te], q, average='macro'), 4)
    print(f'fold {k}: {time.time() - t0:.0f} s, linear {f(keep["linear"][-1])}, cnn {f(keep["cnn"][-1])}, '
          f'mean {f(keep["mean"][-1])}', flush=True)
    np.savez(out, **{name: np.concatenate(v) for name, v in keep.items()})
allte = np.concatenate(keep['te'])
print('all:', {name: round(f1_score(y[allte], np.concatenate(keep[name]), average='macro'), 4)
               for name in ('linear', 'cnn', 'mean')})

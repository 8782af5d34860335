import numpy as np, io, zipfile
from amends.signals.engine.static import load_static
enc = load_static()
T = enc.table  # float32 dequantised
vocab = enc.wordpiece
used = np.load('/tmp/h14/head/used_ids.npy')
V = np.frombuffer(open('/dev/null','rb').read() or b'', np.uint8)
def size(**arrays):
    b = io.BytesIO(); np.savez_compressed(b, **arrays); return len(b.getvalue())
import json
vocab_list = None
with np.load('/work/wt-head/src/amends/signals/engine/artifacts/static.npz') as z:
    vb = z['vocab']
print('vocab bytes compressed', size(vocab=vb))
def q8(t):
    peak = np.abs(t).max(1); s = np.where(peak > 0, peak / 127, 1).astype(np.float32)
    return np.round(t / s[:, None]).astype(np.int8), s
def q4(t, col=None):
    if col is not None: t = t / col
    peak = np.abs(t).max(1); s = np.where(peak > 0, peak / 7, 1).astype(np.float32)
    q = np.clip(np.round(t / s[:, None]), -8, 7).astype(np.int8)
    packed = ((q[:, 0::2] & 15) | ((q[:, 1::2] & 15) << 4)).astype(np.uint8)
    return packed, s, q
def deq4(q, s, col=None):
    r = q.astype(np.float32) * s[:, None]
    return r * col if col is not None else r
def cos(a, b):
    na = np.linalg.norm(a, axis=1); nb = np.linalg.norm(b, axis=1); m = (na > 0)
    return float(((a * b).sum(1)[m] / (na[m] * nb[m])).mean())
nz = np.abs(T).max(1) > 0
print('nonzero rows', nz.sum())
r, s = q8(T[nz]); print('int8 all', size(vocab=vb, rows=r, scale=s))
r, s = q8(T[used]); print('int8 used', len(used), size(vocab=vb, rows=r, scale=s, keep=used.astype(np.uint16)))
p, s, q = q4(T[nz]); print('q4 all rowscale', size(vocab=vb, rows=p, scale=s), 'cos', cos(T[nz], deq4(q, s)))
col = T[nz].std(0)
p, s, q = q4(T[nz], col); print('q4 all colwhite', size(vocab=vb, rows=p, scale=s.astype(np.float16), col=col), 'cos', cos(T[nz], deq4(q, s, col)))
p, s, q = q4(T[used], col); print('q4 used colwhite', size(vocab=vb, rows=p, scale=s.astype(np.float16), col=col, keep=used.astype(np.uint16)), 'cos', cos(T[used], deq4(q, s, col)))

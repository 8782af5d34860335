"""`amends bench problems`: how well the repeated-problems grouping finds what labelled complaints are about.

Reads the public data in ../shared/data (never shipped, never trained on: the grouping is unsupervised).

- cfpb_payday_2023: 2,827 CFPB narratives, grouped against their "Issue" label (24 issues); ours is given
  the "Sub-product" as its product feature (as a case's product would be), and also scored on text alone.
- a second labelled set, to see that nothing is tuned to the first: cfpb_5class_1000_llm (1,000
  narratives, product label) and complaints_acl2019's complaint tweets (their "domain" label, 9 values).
- baseline on each: TF-IDF (sublinear, English stop words) + k-means with the SAME number of groups as ours.
- incremental assignment speed on one core: groups fitted on the first half of cfpb_payday_2023, the other
  half assigned one message at a time (representation and assignment both timed).
- full regrouping time for N messages (100,000 by default): every public text in ../shared/data (CFPB
  narratives, complaint tweets, reviews, Reddit comments, tweets), in a fixed order, repeated until N.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from amends.bench.figures import require_work
from amends.problems.grouping import Grouper


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_payday(data: Path) -> tuple[list[str], list[str], list[dict[str, str]]]:
    rows = _rows(data / "cfpb_payday_2023" / "complaints_small_sample_2023.csv")
    texts = [r["Consumer complaint narrative"] for r in rows]
    return texts, [r["Issue"] for r in rows], [{"product": r["Sub-product"]} for r in rows]


def load_cfpb5(data: Path) -> tuple[list[str], list[str]]:
    rows = _rows(data / "cfpb_5class_1000_llm" / "dataset.csv")
    return [r["narrative"] for r in rows], [r["product"] for r in rows]


def load_acl_complaints(data: Path) -> tuple[list[str], list[str]]:
    with (data / "complaints_acl2019" / "complaints-data.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if len(r) >= 4 and r[2] == "1"]
    return [r[1] for r in rows], [r[3] for r in rows]


def public_texts(data: Path) -> list[str]:
    """Every public text in the shared data folder that is present, in a fixed order."""
    texts: list[str] = []
    if (data / "cfpb_payday_2023").is_dir():
        texts += load_payday(data)[0]
    if (data / "cfpb_5class_1000_llm").is_dir():
        texts += load_cfpb5(data)[0]
    if (data / "complaints_acl2019").is_dir():
        with (data / "complaints_acl2019" / "complaints-data.csv").open(encoding="utf-8", newline="") as f:
            texts += [r[1] for r in csv.reader(f) if len(r) >= 2]
    if (data / "cesamard_aspect").is_dir():
        texts += [r["Review_S"] for r in _rows(data / "cesamard_aspect" / "CESAMARD-Aspect_Dataset.csv")]
    for split in ("train", "dev", "test"):
        path = data / "goemotions" / f"{split}.tsv"
        if path.is_file():
            with path.open(encoding="utf-8") as f:
                texts += [line.split("\t", 1)[0] for line in f]
    if (data / "davidson_hate_offensive").is_dir():
        texts += [r["tweet"] for r in _rows(data / "davidson_hate_offensive" / "labeled_data.csv")]
    return [t for t in texts if t.strip()]


def baseline(texts: Sequence[str], k: int, seed: int = 0) -> np.ndarray:
    """TF-IDF + k-means with k groups: what anyone would try first."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2).fit_transform(texts)
    return KMeans(k, n_init=10, random_state=seed).fit_predict(matrix)


def _scores(labels: Sequence[str], found: Sequence[int]) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {
        "nmi": round(float(normalized_mutual_info_score(labels, found)), 4),
        "ari": round(float(adjusted_rand_score(labels, found)), 4),
        "groups": len(set(found)),
    }


def quality(
    name: str,
    texts: list[str],
    labels: list[str],
    extra: list[dict[str, str]] | None,
    protocol: str,
    log: Callable[[str], None],
) -> list[dict]:
    """Ours (with product features when the set has them, and on text alone) beside the baseline."""
    log(f"grouping {name}: {len(texts):,} texts")
    figures = []
    variants = [("ours", extra), ("ours_text_only", None)] if extra else [("ours", None)]
    for variant, features in variants:
        started = time.perf_counter()
        found = Grouper().fit(texts, features)
        seconds = time.perf_counter() - started
        scores = _scores(labels, found)
        figures.append({"name": f"{variant}_{name}", **scores, "seconds": round(seconds, 2), "n": len(texts)})
        started = time.perf_counter()
        base = baseline(texts, scores["groups"])  # the same number of groups as this row of ours
        seconds = time.perf_counter() - started
        row = {"name": f"baseline{variant[4:]}_{name}", **_scores(labels, base), "seconds": round(seconds, 2)}
        figures.append({**row, "n": len(texts)})
    for f in figures:
        f["labels"] = len(set(labels))
        f["protocol"] = protocol
    return figures


def incremental_speed(data: Path, log: Callable[[str], None]) -> dict:
    texts, _, extra = load_payday(data)
    half = len(texts) // 2
    grouper = Grouper()
    grouper.fit(texts[:half], extra[:half])
    groups_before = len(grouper.counts)
    log(f"assigning {len(texts) - half:,} messages one by one to {groups_before} groups")
    started = time.perf_counter()
    for text, features in zip(texts[half:], extra[half:], strict=True):
        grouper.assign([text], [features])
    seconds = time.perf_counter() - started
    require_work(len(texts) - half, "no messages to assign")
    return {
        "name": "incremental_assignment",
        "value": round((len(texts) - half) / seconds, 1),
        "unit": "messages/s",
        "seconds": round(seconds, 2),
        "n": len(texts) - half,
        "groups_before": groups_before,
        "groups_after": len(grouper.counts),
        "protocol": (
            "cfpb_payday_2023: fitted on its first half, the second half assigned one at a time; one core"
        ),
    }


def full_regroup(data: Path, size: int, log: Callable[[str], None]) -> dict:
    texts = public_texts(data)
    require_work(len(texts), f"no public texts under {data}")
    distinct = len(texts)
    corpus = [texts[i % distinct] for i in range(size)]
    log(f"regrouping {size:,} messages ({distinct:,} distinct public texts, repeated in order)")
    started = time.perf_counter()
    found = Grouper().fit(corpus)
    seconds = time.perf_counter() - started
    return {
        "name": f"full_regroup_{size}",
        "value": round(seconds, 1),
        "unit": "seconds",
        "seconds": round(seconds, 1),
        "n": size,
        "distinct_texts": distinct,
        "groups": int(found.max()) + 1,
        "protocol": "every public text in ../shared/data in a fixed order, repeated to n; one core",
    }


def run(data: Path, *, size: int = 100_000, log: Callable[[str], None] = print) -> list[dict]:
    """Every figure whose data is present; a missing folder is said, not silently skipped."""
    from threadpoolctl import threadpool_limits

    figures: list[dict] = []
    with threadpool_limits(1):  # one core, as the figures say
        if (data / "cfpb_payday_2023").is_dir():
            texts, labels, extra = load_payday(data)
            protocol = (
                "cfpb_payday_2023, 2,827 narratives vs their Issue label; baseline has our number of groups"
            )
            figures += quality("cfpb_payday_2023", texts, labels, extra, protocol, log)
            figures.append(incremental_speed(data, log))
        else:
            log(f"skipped: no cfpb_payday_2023 under {data}")
        if (data / "cfpb_5class_1000_llm").is_dir():
            texts, labels = load_cfpb5(data)
            protocol = "cfpb_5class_1000_llm, 1,000 narratives vs their product label (5)"
            figures += quality("cfpb_5class_1000_llm", texts, labels, None, protocol, log)
        else:
            log(f"skipped: no cfpb_5class_1000_llm under {data}")
        if (data / "complaints_acl2019").is_dir():
            texts, labels = load_acl_complaints(data)
            protocol = "complaints_acl2019, the 1,232 complaint tweets vs their domain label (9)"
            figures += quality("complaints_acl2019", texts, labels, None, protocol, log)
        else:
            log(f"skipped: no complaints_acl2019 under {data}")
        if size > 0:
            figures.append(full_regroup(data, size, log))
    return figures

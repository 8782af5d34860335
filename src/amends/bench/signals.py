"""`amends bench signals`: the published protocols on ../shared/data, and the default analyser's speed.

Accuracy figures come from amends.signals.evaluation (cross-validation, never the shipped models on data
they were trained on). Throughput is the whole default analyser (rules + trained models), one message per
call as intake calls it, pinned to one core.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

csv.field_size_limit(10_000_000)


def pin_one_core() -> None:
    """Measure on one core: the BLAS pool and the process itself."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def tweets(data: Path) -> list[str]:
    path = data / "complaints_acl2019" / "complaints-data.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f) if len(row) >= 2]


def narratives(data: Path) -> list[str]:
    path = data / "cfpb_payday_2023" / "complaints_small_sample_2023.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [row["Consumer complaint narrative"] for row in csv.DictReader(f)]


def rate(texts: list[str]) -> float:
    from amends.signals.analyser import analyse

    analyse(texts[0])  # load the models outside the timing
    start = time.perf_counter()
    for text in texts:
        analyse(text)
    return len(texts) / (time.perf_counter() - start)


def throughput(data: Path, log) -> list[dict]:
    pin_one_core()
    short, long = tweets(data), narratives(data)
    mixed = short + long
    figures = []
    for name, texts, what in (
        ("throughput", mixed, f"{len(mixed):,} texts: acl2019 tweets and CFPB narratives"),
        ("throughput_tweets", short, f"{len(short):,} tweets (median 100 characters)"),
        ("throughput_narratives", long, f"{len(long):,} CFPB narratives (median 785 characters)"),
    ):
        value = rate(texts)
        log(f"{name}: {value:,.0f} messages/s on one core, {what}")
        figures.append(
            {
                "name": name,
                "value": round(value, 1),
                "unit": "messages/s",
                "published": None,
                "protocol": f"analyse() one message per call, one core, {what}; target 1,000",
            }
        )
    return figures


def run(data: Path, log) -> list[dict]:
    from amends.signals.evaluation import run_benchmarks

    figures = [f for f in run_benchmarks(data, log=log) if f["name"] != "throughput"]
    if (data / "complaints_acl2019").is_dir() and (data / "cfpb_payday_2023").is_dir():
        figures += throughput(data, log)
    else:
        log("throughput: skipped, the complaints_acl2019 or cfpb_payday_2023 folder is absent")
    return figures

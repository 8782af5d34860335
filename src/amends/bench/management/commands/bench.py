"""`amends bench pages --cases N [--json]`: seed N cases into a separate database and time the pages.

The benchmark database is `var/bench-pages-N.sqlite3` by default (kept, so a second run only measures),
or `--database-url postgres://...`. The command re-runs itself with that database as DATABASE_URL, so
the real database is never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from amends.bench import pages, reviews, sweep
from amends.bench.figures import NoWork


class Command(BaseCommand):
    help = (
        "Benchmarks that print figures: pages, reports, sweep, signals, intake, reviews, problems, competence"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        pages = sub.add_parser("pages", help="p50/p95 server time of queue, case, customer, search, API list")
        pages.add_argument("--cases", type=int, default=100_000)
        pages.add_argument("--requests", type=int, default=60)
        pages.add_argument("--json", action="store_true")
        pages.add_argument("--database-url", default="", help="default: a SQLite file under the data folder")
        pages.add_argument("--in-bench-database", action="store_true", help="internal: set by the re-run")
        sweep = sub.add_parser("sweep", help="time the worker's sweep over N open cases (1%% due)")
        sweep.add_argument("--cases", type=int, default=100_000)
        sweep.add_argument("--json", action="store_true")
        sweep.add_argument("--database-url", default="", help="default: a SQLite file under the data folder")
        sweep.add_argument("--in-bench-database", action="store_true", help="internal: set by the re-run")
        reports = sub.add_parser("reports", help="p50/p95 of every dashboard query (and registered report)")
        reports.add_argument("--cases", type=int, default=100_000)
        reports.add_argument("--repeats", type=int, default=20)
        reports.add_argument("--json", action="store_true")
        reports.add_argument(
            "--database-url", default="", help="default: a SQLite file under the data folder"
        )
        reports.add_argument("--in-bench-database", action="store_true", help="internal: set by the re-run")
        signals = sub.add_parser("signals", help="signal accuracy on ../shared/data, and analyser speed")
        signals.add_argument("--json", action="store_true")
        signals.add_argument("--data", default=str(settings.SHARED_DATA_DIR), help="the shared data folder")
        problems = sub.add_parser(
            "problems", help="repeated-problems grouping vs labels, speed, 100k regroup"
        )
        problems.add_argument("--json", action="store_true")
        problems.add_argument("--data", default=str(settings.SHARED_DATA_DIR), help="the shared data folder")
        problems.add_argument(
            "--size", type=int, default=100_000, help="messages to regroup in full (0: skip)"
        )
        intake = sub.add_parser("intake", help="intake N messages with analysis, end to end, one core")
        intake.add_argument("--messages", type=int, default=10_000)
        intake.add_argument("--json", action="store_true")
        intake.add_argument(
            "--one-by-one", action="store_true", help="each in its own transaction, as the API"
        )
        intake.add_argument("--database-url", default="", help="default: a SQLite file under the data folder")
        intake.add_argument("--in-bench-database", action="store_true", help="internal: set by the re-run")
        competence = sub.add_parser("competence", help="evidence capture's cost, portfolio pages, PDF, xAPI")
        competence.add_argument("--items", type=int, default=1_000, help="evidence items the learner holds")
        competence.add_argument("--requests", type=int, default=20)
        competence.add_argument("--json", action="store_true")
        competence.add_argument(
            "--database-url", default="", help="default: a SQLite file under the data folder"
        )
        competence.add_argument(
            "--in-bench-database", action="store_true", help="internal: set by the re-run"
        )
        trigger = sub.add_parser("reviews", help="the special-review trigger's methods on simulated weeks")
        trigger.add_argument("--years", type=int, default=25)
        trigger.add_argument("--json", action="store_true")

    def handle(self, *args, which, **o):
        if which == "signals":
            return self._signals(o)
        if which == "reviews":
            return self._reviews(o)
        if which == "problems":
            return self._problems(o)
        size = {"intake": "messages", "competence": "items"}.get(which, "cases")
        o["cases"] = o[size]
        if o["cases"] < 1:
            raise CommandError(f"--{size} must be at least 1")
        if o.get("requests", 1) < 1:
            raise CommandError("--requests must be at least 1")
        if o.get("repeats", 1) < 1:
            raise CommandError("--repeats must be at least 1")
        if not o["in_bench_database"]:
            return self._rerun(which, o)
        log = (lambda s: self.stderr.write(s)) if o["json"] else (lambda s: self.stdout.write(s))
        call_command("migrate", verbosity=0, interactive=False)
        try:
            if which == "sweep":
                return self._sweep(o, log)
            if which == "intake":
                return self._intake(o, log)
            if which == "reports":
                return self._reports(o, log)
            if which == "competence":
                return self._competence(o, log)
            return self._pages(o, log)
        except NoWork as exc:  # a time over no work would read as a fast system: no figure at all
            raise CommandError(f"no figure: {exc}") from exc

    def _reviews(self, o):
        if o["years"] < 1:
            raise CommandError("--years must be at least 1")
        results = reviews.measure(years=o["years"])
        if o["json"]:
            self.stdout.write(json.dumps(results))
            return
        for r in results:
            self.stdout.write(
                f"{r['name']:8} false alarms {r['false_alarms']} in {r['category_years']} category-years "
                f"({r['checks']} checks; at most {r['false_alarms_expected_at_most']} expected by design), "
                f"{r['check_ms']} ms a check; within 12 weeks caught "
                + ", ".join(
                    f"x{rise:g} {r[f'caught_x{rise:g}']:.0%} (mean {r[f'weeks_to_catch_x{rise:g}']} weeks)"
                    for rise in reviews.RISES
                )
            )

    def _pages(self, o, log):
        pages.seed_to(o["cases"], log=log)
        results = pages.measure(requests=o["requests"])
        if o["json"]:
            self.stdout.write(json.dumps(results))
            return
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"\n{o['cases']:,} cases on {vendor}, {o['requests']} requests per page")
        self.stdout.write(f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8}")
        for r in results:
            self.stdout.write(f"{r['name']:<20} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}")

    def _reports(self, o, log):
        from amends.bench import reports

        reports.seed_to(o["cases"], log=log)
        rebuilt = reports.rebuild(log=log)
        results = reports.measure(repeats=o["repeats"])
        if o["json"]:
            rebuild = {"name": "rebuild", "seconds": round(rebuilt.seconds, 2), "n": rebuilt.cases}
            self.stdout.write(
                json.dumps([{k: r[k] for k in ("name", "p50_ms", "p95_ms", "n")} for r in results])
            )
            log(json.dumps(rebuild))
            return
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"\n{o['cases']:,} cases on {vendor}; facts rebuilt for {rebuilt.cases:,} cases in "
            f"{rebuilt.seconds:.1f} s; {o['repeats']} runs per query"
        )
        self.stdout.write(f"{'query':<26} {'p50 ms':>8} {'p95 ms':>8} {'rows read':>10}")
        for r in results:
            self.stdout.write(f"{r['name']:<26} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['rows']:>10,}")

    def _signals(self, o):
        from amends.signals.learning.evaluation import run_benchmarks  # scikit-learn: loaded only for this

        data = Path(o["data"])
        if not data.is_dir():
            raise CommandError(f"No data folder at {data}: pass --data (see ../shared/data/README.md)")
        log = (lambda s: self.stderr.write(s)) if o["json"] else (lambda s: self.stdout.write(s))
        figures = run_benchmarks(data, log=log)
        if o["json"]:
            keys = ("name", "value", "unit", "published")
            self.stdout.write(json.dumps([{k: f[k] for k in keys} for f in figures]))
            return
        self.stdout.write(f"\n{'figure':<46} {'ours':>10} {'published':>10}  unit / protocol")
        for f in figures:
            published = "" if f["published"] is None else f"{f['published']:.3f}"
            value = f"{f['value']:,.0f}" if f["unit"] == "messages/s" else f"{f['value']:.3f}"
            self.stdout.write(f"{f['name']:<46} {value:>10} {published:>10}  {f['unit']}: {f['protocol']}")

    def _problems(self, o):
        from amends.bench import problems  # scikit-learn: loaded only for this

        data = Path(o["data"])
        if not data.is_dir():
            raise CommandError(f"No data folder at {data}: pass --data (see ../shared/data/README.md)")
        if o["size"] < 0:
            raise CommandError("--size must be 0 (skip) or more")
        log = (lambda s: self.stderr.write(s)) if o["json"] else (lambda s: self.stdout.write(s))
        try:
            figures = problems.run(data, size=o["size"], log=log)
        except NoWork as exc:
            raise CommandError(f"no figure: {exc}") from exc
        if o["json"]:
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(f"\n{'grouping':<40} {'NMI':>6} {'ARI':>6} {'groups':>7} {'labels':>7} {'s':>7}")
        for f in figures:
            if "nmi" in f:
                self.stdout.write(
                    f"{f['name']:<40} {f['nmi']:>6.3f} {f['ari']:>6.3f} {f['groups']:>7} {f['labels']:>7} "
                    f"{f['seconds']:>7.1f}"
                )
        for f in figures:
            if "nmi" not in f:
                self.stdout.write(
                    f"{f['name']}: {f['value']:,} {f['unit']} ({f['n']:,} messages; {f['protocol']})"
                )

    def _intake(self, o, log):
        from amends.bench import intake  # reads its texts with scikit-learn's helpers: loaded only for this

        result = intake.measure(o["messages"], log=log, one_by_one=o["one_by_one"])
        if o["json"]:
            self.stdout.write(json.dumps([result]))
            return
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"\n{result['n']:,} messages{' one by one' if o['one_by_one'] else ''} on {vendor}, one core: "
            f"{result['value']:,.0f} messages/s "
            f"({result['seconds']:.1f} s; {result['new_cases']:,} new cases, "
            f"{result['signalled']:,} with signals)"
        )

    def _competence(self, o, log):
        from amends.bench import competence

        results = competence.measure(o["items"], requests=o["requests"], log=log)
        if o["json"]:
            self.stdout.write(json.dumps(results))
            return
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"\nthe competence record on {vendor}")
        for r in results:
            if "value" in r:
                self.stdout.write(f"{r['name']:<36} {r['value']:>8,} {r['unit']} ({r['n']} events)")
            else:
                self.stdout.write(
                    f"{r['name']:<36} p50 {r['p50_ms']:>8.1f} ms  p95 {r['p95_ms']:>8.1f} ms "
                    f"({r['n']:,} evidence items, {r['requests']} requests)"
                )

    def _sweep(self, o, log):
        sweep.seed_open(o["cases"], log=log)
        results = sweep.measure(o["cases"])
        if o["json"]:
            keys = ("name", "seconds", "rows_touched", "n", "then_idle_seconds")
            self.stdout.write(json.dumps([{k: r[k] for k in keys} for r in results]))
            return
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"\n{o['cases']:,} open cases on {vendor}; due before the sweep: {results[0]['due_before']}"
        )
        for r in results:
            self.stdout.write(
                f"{r['name']:<12} {r['seconds']:>8.3f} s  {r['rows_touched']:>7,} rows  {r['counts']}; "
                f"then an idle sweep (the check that it left nothing due): {r['then_idle_seconds']:.3f} s"
            )

    def _rerun(self, which, o):
        default = Path(settings.DATA_DIR) / f"bench-{which}-{o['cases']}.sqlite3"
        url = o["database_url"] or f"sqlite:///{default}"
        if which == "intake" and not o["database_url"]:
            # Intake is timed into an empty database each run, so runs compare; pages and sweep reuse
            # theirs because seeding a million cases is the slow part.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{default}{suffix}").unlink(missing_ok=True)
        size = {"intake": "--messages", "competence": "--items"}.get(which, "--cases")
        argv = [sys.argv[0], "bench", which, size, str(o["cases"]), "--in-bench-database"]
        argv += ["--requests", str(o["requests"])] if which in {"pages", "competence"} else []
        argv += ["--repeats", str(o["repeats"])] if which == "reports" else []
        argv += ["--json"] if o["json"] else []
        argv += ["--one-by-one"] if o.get("one_by_one") else []
        env = {**os.environ, "DATABASE_URL": url, "AMENDS_DATA_DIR": str(settings.DATA_DIR)}
        completed = subprocess.run(argv, env=env, check=False)  # noqa: S603 - our own command
        if completed.returncode:
            raise CommandError(f"the benchmark failed (exit {completed.returncode})")

"""``make bench``: load the generated server and its baselines in one run; print ratios against targets."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench import batches, load, micro, paging, scale
from bench.apps import PATH, TOKEN

AUTH = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
VALID = micro.BODY.decode()
INVALID = VALID.replace('"notApplicable"', '"Compliant"')


def _post(app: str, body: str, expect: int) -> load.Scenario:
    return load.Scenario(app, f"bench.apps:{app}", body.encode(), AUTH, PATH, expect)


SCENARIOS = {
    "generated: valid create": _post("generated", VALID, 201),
    "generated: invalid enum": _post("generated", INVALID, 400),
    "starlette floor (no validation)": _post("starlette_floor", VALID, 201),
    "fixed 201 (limit)": _post("fixed_limit", VALID, 201),
    "service, SQLite WAL: valid create": _post("service", VALID, 201),
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--seconds", type=float, default=5.0, help="measurement time per run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported")
    parser.add_argument("--scale-only", action="store_true", help="only the generation-scale rows (no wrk needed)")
    parser.add_argument("--paging-only", action="store_true", help="only the paging rows (no wrk needed)")
    args = parser.parse_args()
    if args.scale_only:
        _print_rows(_scale_rows(scale.generation_scale()))
        return 0
    if args.paging_only:
        _print_rows(paging.report(paging.measure()))
        return 0
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    batch_stats = Path(tempfile.mkdtemp(prefix="bench-batches-")) / "stats.jsonl"
    os.environ["BENCH_STATS"] = str(batch_stats)  # the service's processes append their group-commit numbers
    rps: dict[str, list[float]] = {name: [] for name in SCENARIOS}
    for _ in range(args.rounds):  # interleaved, so drift on the machine hits every scenario alike
        for name, scenario in SCENARIOS.items():
            rps[name].append(load.requests_per_second(scenario, args.seconds))
    median = {name: statistics.median(values) for name, values in rps.items()}
    floor, limit = median["starlette floor (no validation)"], median["fixed 201 (limit)"]
    alone, parsed = micro.validation_us()
    ours, theirs, noop = micro.generation_seconds()

    print("\nHTTP, POST create, uvicorn 1 worker (uvloop, httptools), wrk 32 connections, median of rounds")
    print(f"{'scenario':<34}{'req/s':>10}")
    for name, value in median.items():
        print(f"{name:<34}{value:>10.0f}")
    print(batches.summary(batch_stats))
    rows = [
        ("valid creates / starlette floor", median["generated: valid create"] / floor, ">=", 1.6),
        ("valid creates / fixed-response limit", median["generated: valid create"] / limit, ">=", 0.8),
        ("invalid-enum rejections / floor", median["generated: invalid enum"] / floor, ">=", 1.8),
        ("service creates (SQLite) / floor", median["service, SQLite WAL: valid create"] / floor, ">=", 0.8),
        ("create-body validation, us/call", alone, "<=", 10.0),
        ("create-body parse+validation, us/call", parsed, "<=", 10.0),
        ("full gen / openapi-python-client", ours / theirs, "<=", 1.3),
        ("no-op `make gen`, seconds", noop, "<=", 0.1),
        *_scale_rows(scale.generation_scale()),
        *paging.report(paging.measure()),
    ]
    _print_rows(rows)
    print(f"\n(full gen {ours:.2f}s, openapi-python-client alone {theirs:.2f}s)")
    print(
        f"(ceiling: the fixed-response limit is {limit / floor:.2f}x the starlette floor on this machine;"
        " no app that does more than a fixed reply can exceed that ratio)"
    )
    return 0


Row = tuple[str, float, str, float]


def _scale_rows(found: scale.Scale) -> list[Row]:
    """The server target on the largest published document (time, memory and output per operation too)."""
    ops = found.operations
    print(
        f"\nserver target on {scale.LARGEST.name} ({ops} operations): {found.seconds / ops * 1000:.1f} ms, "
        f"{found.peak_mb / ops:.2f} MB peak and {found.output_mb * 1000 / ops:.1f} KB of output per operation "
        f"(the served copy of the spec is {found.spec_mb:.2f} MB of the output); "
        f"import {found.import_mb:.0f} MB ({found.first_import_seconds:.2f}s the first time, compiling bytecode)"
    )
    return [
        (f"gen {scale.LARGEST.stem} server, seconds", found.seconds, "<=", 10.0),
        (f"gen {scale.LARGEST.stem} server, peak MB", found.peak_mb, "<=", 250.0),
        (f"gen {scale.LARGEST.stem} server, output MB", found.output_mb, "<=", 4.0),
        (f"import {scale.LARGEST.stem} server, seconds", found.import_seconds, "<=", 0.5),
        ("gen s/op: full doc / half of it", found.growth, "<=", 1.3),
    ]


def _print_rows(rows: list[Row]) -> None:
    print(f"\n{'measure':<40}{'value':>10}  target   met")
    for label, value, op, target in rows:
        met = value >= target if op == ">=" else value <= target
        print(f"{label:<40}{value:>10.2f}  {op} {target:<5} {'yes' if met else 'NO'}")


if __name__ == "__main__":
    sys.exit(main())

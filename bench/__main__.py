"""``make bench``: load the generated server, its baselines and its peers in one run; print ratios against targets."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import batches, load, micro, paging, scale
from bench.apps import PATH, TOKEN
from bench.peers import prepare

AUTH = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
VALID = micro.BODY.decode()
INVALID = VALID.replace('"notApplicable"', '"Compliant"')
#: Once per app that claims the spec's create: a token is required, unknown properties are refused.
PROBES = (
    ({"Content-Type": "application/json"}, micro.BODY, 401),
    (AUTH, micro.BODY.replace(b'{"@odata.type"', b'{"unknown": 1, "@odata.type"'), 400),
)
#: What ``--only`` selects, and the scenarios of each.
GROUPS = {
    "generated": ("generated: valid create", "generated: invalid enum"),
    "floor": ("starlette floor (no validation)",),
    "limit": ("fixed 201 (limit)",),
    "service": ("service, SQLite WAL: valid create",),
    "fastapi": ("FastAPI + pydantic: valid create", "FastAPI + pydantic: invalid enum"),
    "connexion": ("connexion 3: valid create", "connexion 3: invalid enum"),
    "ceiling": ("ceiling (flat, same checks): valid", "ceiling (flat, same checks): invalid"),
}
PEERS = ("fastapi", "connexion")


def _post(app: str, body: str, expect: int) -> load.Scenario:
    probes = () if app in ("starlette_floor", "fixed_limit") else PROBES  # the baselines do no auth, no validation
    target = "bench.ceiling:app" if app == "ceiling" else f"bench.apps:{app}"
    return load.Scenario(app, target, body.encode(), AUTH, PATH, expect, probes)


def _peer(name: str, app: str, body: str, expect: int, env: dict[str, str]) -> load.Scenario:
    """A peer: its uvicorn runs from the benchmark venv."""
    return load.Scenario(name, app, body.encode(), AUTH, PATH, expect, PROBES, python=str(prepare.PYTHON), env=env)


def scenarios(groups: set[str], peer_env: dict[str, str]) -> dict[str, load.Scenario]:
    every = {
        "generated: valid create": _post("generated", VALID, 201),
        "generated: invalid enum": _post("generated", INVALID, 400),
        "starlette floor (no validation)": _post("starlette_floor", VALID, 201),
        "fixed 201 (limit)": _post("fixed_limit", VALID, 201),
        "service, SQLite WAL: valid create": _post("service", VALID, 201),
        "ceiling (flat, same checks): valid": _post("ceiling", VALID, 201),
        "ceiling (flat, same checks): invalid": _post("ceiling", INVALID, 400),
    }
    if peer_env:
        fastapi, connexion = "bench.peers.fastapi_app:app", "bench.peers.connexion_app:app"
        every |= {
            "FastAPI + pydantic: valid create": _peer("fastapi", fastapi, VALID, 201, peer_env),
            "FastAPI + pydantic: invalid enum": _peer("fastapi", fastapi, INVALID, 400, peer_env),
            "connexion 3: valid create": _peer("connexion", connexion, VALID, 201, peer_env),
            "connexion 3: invalid enum": _peer("connexion", connexion, INVALID, 400, peer_env),
        }
    return {name: scenario for name, scenario in every.items() if any(name in GROUPS[g] for g in groups)}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--seconds", type=float, default=5.0, help="measurement time per run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported")
    parser.add_argument("--scale-only", action="store_true", help="only the generation-scale rows (no wrk needed)")
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        help=f"only these HTTP scenarios, comma-separated ({','.join(GROUPS)}), and no in-process rows",
    )
    parser.add_argument("--paging-only", action="store_true", help="only the paging rows (no wrk needed)")
    args = parser.parse_args()
    if args.scale_only:
        _print_rows(_scale_rows(scale.generation_scale()))
        return 0
    if args.paging_only:
        _print_rows(paging.report(paging.measure()))
        return 0
    groups: set[str] = args.only or set(GROUPS)
    if unknown := groups - set(GROUPS):
        parser.error(f"--only: unknown {','.join(sorted(unknown))} (choose from {','.join(GROUPS)})")
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    wanted_peers = groups & set(PEERS)
    if wanted_peers and not prepare.available():
        print(f"bench: {prepare.VENV.name}/ is missing: `make bench` creates it (peers skipped)", file=sys.stderr)
        if args.only:
            return 2
    batch_stats = Path(tempfile.mkdtemp(prefix="bench-batches-")) / "stats.jsonl"
    os.environ["BENCH_STATS"] = str(batch_stats)  # the service's processes append their group-commit numbers
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as folder:
        peer_env = prepare.prepare(Path(folder), TOKEN) if wanted_peers and prepare.available() else {}
        measured = _measure(scenarios(groups, peer_env), args.rounds, args.seconds)

    print("\nHTTP, POST create, uvicorn 1 worker (uvloop, httptools), wrk 32 connections, median of rounds")
    print(f"{'scenario':<36}{'req/s':>10}{'p99 ms':>10}")
    for name, value in measured.items():
        print(f"{name:<36}{value.rps:>10.0f}{value.p99_ms:>10.2f}")
    if "service" in groups:
        print(batches.summary(batch_stats))
    rows = _http_rows(measured)
    if args.only is None:
        alone, parsed = micro.validation_us()
        ours, theirs, noop = micro.generation_seconds()
        rows += [
            ("create-body validation, us/call", alone, "<=", 10.0),
            ("create-body parse+validation, us/call", parsed, "<=", 10.0),
            ("full gen / openapi-python-client", ours / theirs, "<=", 1.3),
            ("no-op `make gen`, seconds", noop, "<=", 0.1),
            *_scale_rows(scale.generation_scale()),
            *paging.report(paging.measure()),
        ]
        print(f"\n(full gen {ours:.2f}s, openapi-python-client alone {theirs:.2f}s)")
    if rows:
        _print_rows(rows)
    busiest = max(value.wrk_core for value in measured.values())
    verdict = "not the limit" if busiest < 0.8 else "MAY BE THE LIMIT: compare with fewer checks in its Lua"
    print(f"\n(wrk, checking every status in Lua, used at most {busiest:.0%} of its core: it is {verdict})")
    if "fixed 201 (limit)" in measured and "starlette floor (no validation)" in measured:
        ceiling = measured["fixed 201 (limit)"].rps / measured["starlette floor (no validation)"].rps
        print(
            f"(ceiling: the fixed-response limit is {ceiling:.2f}x the starlette floor on this machine;"
            " no app that does more than a fixed reply can exceed that ratio)"
        )
    return 0


def _measure(chosen: dict[str, load.Scenario], rounds: int, seconds: float) -> dict[str, load.Measure]:
    """Medians of throughput and p99 over interleaved rounds, so drift on the machine hits every scenario alike."""
    runs: dict[str, list[load.Measure]] = {name: [] for name in chosen}
    for _ in range(rounds):
        for name, scenario in chosen.items():
            runs[name].append(load.measure(scenario, seconds))
    return {
        name: load.Measure(
            rps=statistics.median(m.rps for m in values),
            p99_ms=statistics.median(m.p99_ms for m in values),
            wrk_core=max(m.wrk_core for m in values),
        )
        for name, values in runs.items()
    }


Row = tuple[str, float, str, float | None]


def _http_rows(measured: dict[str, load.Measure]) -> list[Row]:
    """Targets (issue 14), then our ratios against the peers; a row needs both of its scenarios measured."""
    rps = {name: value.rps for name, value in measured.items()}
    p99 = {name: value.p99_ms for name, value in measured.items()}
    valid, invalid, floor = "generated: valid create", "generated: invalid enum", "starlette floor (no validation)"
    wanted: list[tuple[str, dict[str, float], str, str, str, float | None]] = [
        ("valid creates / starlette floor", rps, valid, floor, ">=", 1.3),
        ("valid creates / fixed-201 limit", rps, valid, "fixed 201 (limit)", ">=", 0.8),
        ("invalid-enum rejections / floor", rps, invalid, floor, ">=", 1.3),
        ("p99 generated valid create / p99 floor", p99, valid, floor, "<=", 1.0),
        ("service creates (SQLite) / floor", rps, "service, SQLite WAL: valid create", floor, ">=", 0.8),
        ("valid creates / FastAPI + pydantic", rps, valid, "FastAPI + pydantic: valid create", ">=", None),
        ("invalid-enum rejections / FastAPI", rps, invalid, "FastAPI + pydantic: invalid enum", ">=", None),
        ("valid creates / connexion 3", rps, valid, "connexion 3: valid create", ">=", None),
        ("invalid-enum rejections / connexion 3", rps, invalid, "connexion 3: invalid enum", ">=", None),
        ("valid creates / ceiling (bench.ceiling)", rps, valid, "ceiling (flat, same checks): valid", ">=", None),
        ("invalid enum / ceiling (bench.ceiling)", rps, invalid, "ceiling (flat, same checks): invalid", ">=", None),
        ("ceiling valid / floor", rps, "ceiling (flat, same checks): valid", floor, ">=", None),
        ("ceiling valid / fixed-201 limit", rps, "ceiling (flat, same checks): valid", "fixed 201 (limit)", ">=", None),
    ]
    return [
        (label, values[ours] / values[theirs], op, target)
        for label, values, ours, theirs, op, target in wanted
        if ours in values and theirs in values
    ]


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


def _print_rows(rows: Sequence[Row]) -> None:
    print(f"\n{'measure':<40}{'value':>10}  target   met")
    for label, value, op, target in rows:
        if target is None:  # a comparison to report, with no target of its own
            print(f"{label:<40}{value:>10.2f}")
            continue
        met = value >= target if op == ">=" else value <= target
        print(f"{label:<40}{value:>10.2f}  {op} {target:<5} {'yes' if met else 'NO'}")


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m codegen {gen,check,validate,diff,publish,scaffold}``.

Exit status: 0 done, 1 ``check`` found generated code out of date, 2 the spec or the run has a problem
(printed as a message naming the place, never a traceback).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from codegen.errors import MAX_SHOWN, CodegenError, Problem, grouped
from codegen.pipeline import TARGETS, Options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("gen", "generate the targets into the output folder (skipped when nothing changed)"),
        ("check", "fail when the output folder differs from what gen would write"),
        ("validate", "only validate the spec"),
        ("publish", "write dist/ for partners; fail when info.version moves less than the changes need"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--spec", type=Path, default=Path("openapi.yaml"), help="OpenAPI 3.0/3.1 document")
        if name in ("gen", "publish"):
            command.add_argument(
                "--published", type=Path,
                help="the published versions, the baseline for the next one (default: published/ beside the spec)",
            )  # fmt: skip
        if name == "publish":
            command.add_argument("--dist", type=Path, default=Path("dist"), help="where partners' files go")
            command.add_argument("--redocly", type=Path, default=Path("node_modules/.bin/redocly"))
            command.add_argument(
                "--out", type=Path, default=Path("generated"),
                help="generated code, which must be current with the spec (not checked when the folder is absent)",
            )  # fmt: skip
        elif name != "validate":
            command.add_argument("--out", type=Path, default=Path("generated"), help="output folder")
            command.add_argument("--target", choices=("all", *TARGETS), default="all", help="what to generate")
            command.add_argument("--package", help="name for the generated server (default: from info.title)")
        if name == "gen":
            command.add_argument("--force", action="store_true", help="regenerate even when nothing changed")
        if name != "publish":
            strict = "examples and defaults that do not fit their schemas are errors, not warnings"
            if name != "validate":
                strict = "warnings are errors: mismatched examples and defaults, operations a target leaves out"
            command.add_argument("--strict", action="store_true", help=strict)
    text = "write a starter implementation of the generated server's Handlers (in memory) to a new file"
    scaffold = commands.add_parser("scaffold", help=text, description=text)
    scaffold.add_argument("--spec", type=Path, default=Path("openapi.yaml"), help="OpenAPI 3.0/3.1 document")
    scaffold.add_argument("--out", type=Path, required=True, help="the file to create (never overwritten)")
    scaffold.add_argument("--server", default="generated.server", help="import path of the generated server")
    diff = commands.add_parser("diff", help="classify the changes between two specs", description="classify changes")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except CodegenError as exc:
        print(f"codegen: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "publish":
        return _publish(args)
    if args.command == "diff":
        from codegen.contract.diff import compare
        from codegen.spec import load

        report = compare(load(args.old).document, load(args.new).document)
        for change in report.changes:
            print(f"{change.severity.value.upper():<10}  {change}")
        return 1 if report.breaking else 0
    if args.command == "scaffold":
        return _scaffold(args)
    if args.command == "validate":
        from codegen.spec import load

        spec = load(args.spec, strict=args.strict)
        _report(list(spec.warnings))
        print(f"{args.spec}: valid OpenAPI {spec.version}")
        return 0
    from codegen import pipeline

    targets = TARGETS if args.target == "all" else (args.target,)
    warnings: list[Problem] = []
    options = Options(spec=args.spec, out=args.out, targets=targets, package=args.package, strict=args.strict,
                      warn=warnings.append)  # fmt: skip
    if not args.spec.is_file():
        raise CodegenError(f"no spec at {args.spec}")
    if args.command == "check":
        problems = pipeline.check(options)
        _report(warnings)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        if problems:
            print(f"codegen: {args.out}/ is out of date with {args.spec}: run `make gen`", file=sys.stderr)
            return 1
        print(f"{args.out}/ is up to date")
        return 0
    started = time.perf_counter()
    changed = pipeline.gen(options, force=args.force)
    elapsed = time.perf_counter() - started
    _report(warnings)
    if changed:
        print(f"generated {len(changed)} changed file(s) into {args.out}/ in {elapsed:.1f}s")
    elif args.force:
        print(f"regenerated {args.out}/ in {elapsed:.1f}s: every file came out as it was, nothing changed")
    else:
        print(f"{args.out}/ is up to date")
    if changed or args.force:  # the spec (or the generator) changed; an unchanged spec was checked when it last did
        _version_advice(args.spec, _published(args))
    return 0


def _published(args: argparse.Namespace) -> Path:
    """Where the published versions are: ``--published``, or ``published/`` beside the spec."""
    folder: Path = args.published if args.published is not None else args.spec.parent / "published"
    return folder


def _version_advice(spec: Path, published: Path) -> None:
    """A warning, never a failure: the bump info.version needs before `make publish` accepts the spec."""
    from codegen.contract.policy import unpublished_bump

    try:
        advice = unpublished_bump(spec, published)
    except Exception as exc:  # a broken baseline must not stop generation: say so and go on
        print(f"codegen: warning: could not compare {spec} with the versions in {published}/: {exc}", file=sys.stderr)
        return
    if advice:
        print(f"codegen: warning: {advice}", file=sys.stderr)
        print(f"codegen: `make publish` refuses {spec} until info.version is bumped (generation is not affected)",
              file=sys.stderr)  # fmt: skip


def _report(warnings: list[Problem]) -> None:
    """Warnings go to stderr, each with its place, then one line per kind that counts them."""
    for warning in warnings[:MAX_SHOWN]:
        print(f"  warning: {warning}", file=sys.stderr)
    if len(warnings) > MAX_SHOWN:
        print(f"  ... and {len(warnings) - MAX_SHOWN} more", file=sys.stderr)
    for kind, members in grouped(warnings).items():
        print(f"codegen: {len(members)} warning(s): {kind} (--strict makes them errors)", file=sys.stderr)


def _publish(args: argparse.Namespace) -> int:
    from codegen import pipeline
    from codegen.contract.publish import publish

    if args.out.is_dir():  # partners get a contract whose server and client are the ones committed beside it
        stale = pipeline.check(Options(spec=args.spec, out=args.out, strict=True))
        if stale:
            raise CodegenError(
                f"{args.out}/ is out of date with {args.spec} ({len(stale)} file(s), e.g. {stale[0]}): "
                "run `make gen` and commit it before publishing"
            )
    outcome = publish(args.spec, args.dist, _published(args), args.redocly)
    since = f" (compared with {outcome.previous.version})" if outcome.previous else " (first version)"
    print(f"published {outcome.version}{since} into {args.dist}/: openapi.json, openapi.yaml, index.html, "
          "CHANGELOG.md and the client's wheel and sdist")  # fmt: skip
    report = outcome.report
    print(f"  {len(report.breaking)} breaking, {len(report.closed_enums)} breaking closed enums only, "
          f"{len(report.compatible)} other change(s)")  # fmt: skip
    if outcome.recorded:
        print(f"  recorded {outcome.recorded}: commit it, it is the baseline for the next version")
    return 0


def _scaffold(args: argparse.Namespace) -> int:
    from codegen.scaffold import scaffold, write_once
    from codegen.spec import load

    if not args.spec.is_file():
        raise CodegenError(f"no spec at {args.spec}")
    write_once(args.out, scaffold(load(args.spec), args.server))
    print(f"wrote {args.out}: every operation of {args.spec}, in memory; yours now, with TODOs. "
          f"Serve it with `uvicorn {args.out.stem}:app` (mypy checks it against {args.server}.Handlers)")  # fmt: skip
    return 0

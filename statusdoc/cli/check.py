"""``statusdoc check [SPEC...]``: exit 1 when any artifact is stale or missing.

Never writes a file and never starts a renderer: text outputs are emitted in
memory and compared byte for byte, images by the DOT hash in their stamp.
Spec warnings (those not allowed) go to standard error, as ``generate``
prints them; with ``--strict`` they fail the check (exit 1) like drift does,
so CI can gate on one command.
"""

from __future__ import annotations

import argparse
import sys

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from statusdoc.cli.inputs import add_selection_options

    p = sub.add_parser(
        "check",
        help="exit 1 when a generated artifact is stale or missing (never writes)",
        description="Compare every artifact with what the spec generates now: text byte "
        "for byte, images by the DOT hash stamped in them. Writes nothing and runs no "
        "renderer. Spec warnings go to standard error. Exit 0 current, 1 stale or missing "
        "(or invalid spec, or spec warnings with --strict), 2 usage or configuration error.",
    )
    add_selection_options(p)
    p.add_argument("--diff", action="store_true", help="print a unified diff of stale text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from statusdoc.artifacts import drifts_in, plan_spec
    from statusdoc.cli import say
    from statusdoc.cli.inputs import load_machines, report_warnings, select_specs

    configs = select_specs(args)
    machines, warnings = load_machines(configs, frozenset(args.ignore))
    strict_failure = report_warnings(warnings, args)
    if strict_failure:  # reported, and drift is still looked for: one run says all
        say("check", strict_failure)
    drifts = []
    total = 0
    for config in configs:
        plan = plan_spec(config, machines[config.spec])  # view images included
        drifts.extend(drifts_in(plan))
        total += len(plan)
    for drift in drifts:
        print(drift)
        if args.diff and drift.diff:
            sys.stdout.write(drift.diff)
    if drifts:
        print(
            f"{len(drifts)} of {total} artifacts stale or missing; run `statusdoc generate`",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if strict_failure:
        return EXIT_PROBLEMS
    if not args.quiet:
        print(f"all {total} artifacts current")
    return EXIT_OK

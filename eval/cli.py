"""``assistant eval run|diff|show|quiz``: the evaluator's commands."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from eval.runner import CONFIGS, DEFAULT_CONFIGS, EvalRun

HEADLINE = ("n", "recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "latency_p50_ms", "latency_p95_ms")


def format_table(metrics: dict[str, Any]) -> str:
    """A plain-text table of headline metrics, one row per configuration."""
    header = f"{'config':36}" + "".join(f"{k:>16}" for k in HEADLINE)
    lines = [header, "-" * len(header)]
    for name, values in metrics.items():
        if name.startswith("_"):
            continue
        cells = "".join(
            f"{values.get(k, float('nan')):>16.4f}" if k != "n" else f"{values.get(k, 0):>16d}" for k in HEADLINE
        )
        lines.append(f"{name:36}{cells}")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    out = Path(args.out)
    metrics = EvalRun(settings, out, progress=not args.no_progress).run(
        Path(args.dataset),
        args.config or DEFAULT_CONFIGS,
        limit=args.limit,
        split=args.split,
        remove_gold=args.remove_gold,
    )
    print(format_table(metrics))
    print(f"\nmetrics: {out / 'metrics.json'}\nreport:  {out / 'report.html'}")
    return 0


def cmd_diff(args: argparse.Namespace, settings: Settings) -> int:
    from eval.diff import diff_configs, diff_runs, format_diff

    if args.configs:
        result = diff_configs(Path(args.a), args.configs[0], args.configs[1])
    else:
        result = diff_runs(Path(args.a), Path(args.b))
    print(format_diff(result))
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    metrics = json.loads((Path(args.run) / "metrics.json").read_text(encoding="utf-8"))
    print(format_table(metrics))
    return 0


def cmd_quiz(args: argparse.Namespace, settings: Settings) -> int:
    from eval.quiz_check import run_quiz_check

    summary = run_quiz_check(
        settings,
        Path(args.dataset),
        Path(args.out),
        per_topic=args.per_topic,
        per_document=args.per_document,
        seed=args.seed,
        progress=not args.no_progress,
    )
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"\nitems: {Path(args.out) / 'items.jsonl'}\nsample for review: {Path(args.out) / 'sample.md'}")
    return 0


def add_eval_parser(sub: Any) -> None:
    """Attach ``eval`` and its sub-commands to the ``assistant`` parser."""
    p = sub.add_parser("eval", help="evaluate retrieval and answers on a question set")
    eval_sub = p.add_subparsers(dest="eval_command", required=True)

    run = eval_sub.add_parser("run", help="run configurations over a dataset")
    run.add_argument("--dataset", required=True, help="project corpus/, a BEIR folder or the alqac layout")
    run.add_argument("--config", action="append", choices=sorted(CONFIGS), help="repeatable; default: all")
    run.add_argument("--out", default="out/eval", help="folder for metrics.json, per_question.jsonl, report.html")
    run.add_argument("--limit", type=int, default=None, help="first N questions only")
    run.add_argument("--split", default=None, help="dev or test (project format), qrels split (BEIR)")
    run.add_argument(
        "--remove-gold", action="store_true", help="also ask each answerable question with its gold documents removed"
    )
    run.add_argument("--no-progress", action="store_true")
    run.set_defaults(func=cmd_run)

    diff = eval_sub.add_parser("diff", help="per-question differences between two runs or two configurations")
    diff.add_argument("a", help="run folder")
    diff.add_argument("b", nargs="?", help="second run folder")
    diff.add_argument("--configs", nargs=2, metavar=("A", "B"), help="compare two configurations of run a")
    diff.set_defaults(func=cmd_diff)

    from eval.train_cli import add_train_parser

    add_train_parser(sub)

    quiz = eval_sub.add_parser("quiz", help="generate question banks over the shelf and measure the automatic checks")
    quiz.add_argument("--dataset", default="corpus", help="project corpus/ (its shelf is ingested or re-used)")
    quiz.add_argument("--out", default="out/quiz", help="folder for items.jsonl, sample.jsonl/.md, summary.json")
    quiz.add_argument("--per-topic", type=int, default=20, help="items asked for per topic")
    quiz.add_argument("--per-document", type=int, default=8, help="items asked for per current Vietnamese document")
    quiz.add_argument("--seed", type=int, default=0)
    quiz.add_argument("--no-progress", action="store_true")
    quiz.set_defaults(func=cmd_quiz)

    show = eval_sub.add_parser("show", help="print the metrics table of a run")
    show.add_argument("run")
    show.set_defaults(func=cmd_show)

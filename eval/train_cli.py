"""``assistant train ranker``: rebuild the learned ranker and the answerability model from dev question sets."""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any

from assistant.embedding.factory import create_embedder
from assistant.settings import Settings
from eval import training as tr
from eval.datasets import detect_layout
from eval.support_training import train_support

logger = logging.getLogger(__name__)


def cmd_train_ranker(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    embedder = create_embedder(settings)
    embedder.load()
    lists: list[tr.CandidateList] = []
    for raw in args.dataset:
        path = Path(raw)
        split = args.split if detect_layout(path) == "project" else None
        name = path.resolve().name
        lists.extend(tr.collect_cached(path, settings, embedder, split=split, name=name, cache=Path(args.out)))
    tr.assign_folds(lists, args.folds)
    fold_models = tr.cross_validate_ranker(lists, args.folds)
    ranking = tr.ranking_report(lists)
    examples = tr.answerability_examples(lists, fold_models, settings)
    oof = tr.cross_validate_answerability(examples, args.folds)
    abstention = tr.answerability_report(examples, oof)
    threshold_source = Path(args.threshold_dataset or args.dataset[-1]).resolve().name
    thresholds = tr.choose_thresholds(examples, oof, source=threshold_source, max_false_abstain=args.max_false_abstain)
    final = tr._fit_ranker(lists)
    ranker_out = Path(args.ranker_out or settings.ranker_path)
    tr.save_ranker(final, ranker_out)
    info: dict[str, Any] = {
        "datasets": [Path(d).resolve().name for d in args.dataset],
        "split": args.split,
        "questions": len(lists),
        "examples": int(len(examples.y)),
        "threshold_source": threshold_source,
        "max_false_abstain": args.max_false_abstain,
        "embedder": embedder.name,
    }
    model = tr.fit_answerability(examples, thresholds, info)
    answerability_out = Path(args.answerability_out or settings.answerability_path)
    model.save(answerability_out)
    report = {
        "ranking_cv": ranking,
        "answerability_cv": abstention,
        "thresholds": thresholds,
        "info": info,
        "seconds": round(time.perf_counter() - started, 1),
        "ranker_file": str(ranker_out),
        "answerability_file": str(answerability_out),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "train_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def cmd_train_support(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    embedder = create_embedder(settings)
    embedder.load()
    folders = [Path(d) for d in args.dataset]
    split = args.split if all(detect_layout(f) == "project" for f in folders) else None
    model, report = train_support(
        folders, settings, embedder, split=split, folds=args.folds, min_precision=args.min_precision
    )
    target = Path(args.support_out or settings.support_path)
    model.save(target)
    report |= {"seconds": round(time.perf_counter() - started, 1), "support_file": str(target)}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "support_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def add_train_parser(sub: Any) -> None:
    """Attach ``train`` and its sub-commands to the ``assistant`` parser."""
    p = sub.add_parser("train", help="rebuild the learned models from dev question sets")
    train_sub = p.add_subparsers(dest="train_command", required=True)
    ranker = train_sub.add_parser(
        "ranker", help="the learning-to-rank model and the answerability model (cross-validated, then fit on all)"
    )
    ranker.add_argument(
        "--dataset", action="append", required=True, help="a dev question set (repeatable): alqac layout or corpus/"
    )
    ranker.add_argument("--split", default="dev", help="split of project-format datasets to train on (default dev)")
    ranker.add_argument("--folds", type=int, default=5)
    ranker.add_argument(
        "--max-false-abstain",
        type=float,
        default=0.08,
        help="share of answerable dev questions the chosen threshold may refuse (a margin under the 10 %% goal)",
    )
    ranker.add_argument("--threshold-dataset", help="dataset whose questions set the threshold (default: the last)")
    ranker.add_argument("--ranker-out", help="default: ASSISTANT_RANKER_PATH")
    ranker.add_argument("--answerability-out", help="default: ASSISTANT_ANSWERABILITY_PATH")
    ranker.add_argument("--out", default="out/train", help="folder for train_report.json")
    ranker.set_defaults(func=cmd_train_ranker)
    support = train_sub.add_parser(
        "support", help="which other documents add a cited clause to an answer (cross-validated, then fit on all)"
    )
    support.add_argument(
        "--dataset", action="append", required=True, help="a question set whose gold names every bearing document"
    )
    support.add_argument("--split", default="dev", help="split of project-format datasets to train on (default dev)")
    support.add_argument("--folds", type=int, default=5)
    support.add_argument(
        "--min-precision",
        type=float,
        default=0.93,
        help="cross-validated citation precision the threshold must keep (a margin over the 0.90 goal)",
    )
    support.add_argument("--support-out", help="default: ASSISTANT_SUPPORT_PATH")
    support.add_argument("--out", default="out/train", help="folder for support_report.json")
    support.set_defaults(func=cmd_train_support)

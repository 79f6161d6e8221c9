"""``assistant eval quiz``: question banks generated over a dataset's shelf, measured by the automatic checks, with
a random sample written for review by hand."""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.embedding.factory import create_embedder
from assistant.errors import NoQuizSource
from assistant.quiz.builder import QuizBuilder
from assistant.quiz.model import CheckResult, ItemKind, QuizItem
from assistant.quiz.serialize import item_to_dict
from assistant.quiz.verify import CHECKS, check_bank
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import SYSTEM
from eval.datasets import load_dataset
from eval.runner import prepare_index

logger = logging.getLogger(__name__)

TOPICS = (
    "chữ ký số", "văn bản đến", "thanh tra", "Bình dân học vụ số", "thủ tục hành chính", "lệ phí",
    "giấy phép xây dựng", "chuyển đổi số", "khiếu nại, tố cáo", "an toàn thông tin", "hộ tịch, chứng thực",
    "phản ánh, kiến nghị",
)  # fmt: skip


def summarize(items: Sequence[QuizItem], checks: Sequence[CheckResult]) -> dict[str, Any]:
    """Items kept per kind, fact kind and difficulty; the share of all generated items passing each check."""
    failed = Counter(problem.split(":")[0] for check in checks for problem in check.problems)
    total = len(checks)
    return {
        "generated": total,
        "kept": len(items),
        "passed_all": round(sum(c.passed for c in checks) / total, 4) if total else 0.0,
        "by_kind": dict(Counter(i.kind.value for i in items)),
        "by_fact_kind": dict(Counter(i.fact_kind.value for i in items)),
        "by_difficulty": dict(Counter(i.difficulty.value for i in items)),
        "flagged_not_current": sum(bool(i.flags) for i in items),
        "pass_share": {name: round(1 - failed[name] / total, 4) if total else 0.0 for name in CHECKS},
    }


def run_quiz_check(
    settings: Settings, dataset: Path, out: Path, *, per_topic: int, per_document: int, seed: int, progress: bool
) -> dict[str, Any]:
    """Banks by topic and by document over the dataset's Vietnamese shelf, as an administrator sees it."""
    embedder = create_embedder(settings)
    embedder.load()
    local, _ = prepare_index(load_dataset(dataset), settings, embedder, progress=progress)
    service = AssistantService(local, embedder=embedder)
    service.load()
    builder = QuizBuilder(service, seed=seed)
    items: dict[str, QuizItem] = {}
    checks: list[CheckResult] = []
    requests: list[dict[str, Any]] = [{"topic": t, "count": per_topic} for t in TOPICS]
    requests += [
        {"doc_ids": [doc.doc_id], "count": per_document}
        for doc in service.documents(principal=SYSTEM)
        if doc.language == "vi" and doc.is_current()
    ]
    for request in tqdm(requests, desc="bộ câu hỏi", unit="bộ", disable=not progress):
        try:
            bank = builder.generate(SYSTEM, **request)
        except NoQuizSource as error:
            logger.warning("no bank for %s: %s", request, error)
            continue
        checks.extend(bank.checks)
        items.update((item.item_id, item) for item in bank.items)
    banked = list(items.values())
    summary = summarize(banked, checks)
    across = check_bank(banked)  # a topic bank and a document bank may ask the same clause for the same answer
    kept = [item for item, check in zip(banked, across, strict=True) if check.passed]
    summary["duplicates_across_banks"] = len(banked) - len(kept)
    summary["unique_items"] = len(kept)
    _write(out, kept, random.Random(seed).sample(kept, min(50, len(kept))), summary)
    return summary


def _write(out: Path, items: Sequence[QuizItem], sample: Sequence[QuizItem], summary: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, chosen in (("items.jsonl", items), ("sample.jsonl", sample)):
        lines = (json.dumps(item_to_dict(item), ensure_ascii=False) for item in chosen)
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "sample.md").write_text(to_markdown(sample), encoding="utf-8")


def to_markdown(items: Sequence[QuizItem]) -> str:
    """A readable review sheet: stem, options with the right one marked, accepted answers or pairs, the citation
    and the quoted clause."""
    lines = ["# Câu hỏi mẫu để rà soát", ""]
    for n, item in enumerate(items, start=1):
        lines += [f"## {n}. [{item.kind.value} · {item.fact_kind.value} · {item.difficulty.value}] {item.item_id}", ""]
        lines += [item.stem, ""]
        for index, option in enumerate(item.options):
            lines.append(f"- {'**[x]**' if index in item.correct else '[ ]'} {option}")
        if item.kind is ItemKind.FILL_BLANK:
            lines.append(f"- Đáp án chấp nhận: {' / '.join(item.answers)}")
        lines += [f"- {pair.left} ↔ **{pair.right}**" for pair in item.pairs]
        flags = f" (cờ: {', '.join(item.flags)})" if item.flags else ""
        lines += ["", f"*Trích dẫn:* {item.citation}{flags}", ""]
        lines += [f"> {source.text}" for source in item.sources] + [""]
    return "\n".join(lines)

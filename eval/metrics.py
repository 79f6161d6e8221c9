"""Evaluation metrics as pure functions over ranked id lists and answers; each returns a flat dict of floats.

Conventions shared by all functions:
- ranked lists are de-duplicated first (:func:`dedupe`, first occurrence wins), so several chunks of one
  document count once when ids are document ids — the document-level view;
- questions without gold are skipped (they are measured by :func:`abstention_metrics`);
- an aggregate over zero questions is 0.0 with ``"n": 0``, never NaN (the result must stay valid JSON).
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence, Sized

import numpy as np

from assistant.answer.citations import MARKER
from assistant.text.normalize import fold_diacritics, normalize_text

DEFAULT_KS = (1, 3, 5, 10)
CUTOFF = 10  # depth of mrr@10 and ndcg@10
UNCATEGORISED = "(none)"


def dedupe(ranked: Iterable[str]) -> list[str]:
    """``ranked`` without repeats, keeping each id at its first (best) rank."""
    return list(dict.fromkeys(ranked))


def first_gold_rank(ranked: Sequence[str], gold: Collection[str]) -> int | None:
    """1-based rank of the first gold id in the de-duplicated list, or None when no gold id was retrieved."""
    gold_set = set(gold)
    for rank, doc_id in enumerate(dedupe(ranked), start=1):
        if doc_id in gold_set:
            return rank
    return None


def retrieval_scores(ranked: Sequence[str], gold: Collection[str], ks: Sequence[int] = DEFAULT_KS) -> dict[str, float]:
    """Metrics of ONE question with non-empty gold: ``recall@k``, ``precision@k``, ``hit@k``, ``mrr@10``, ``ndcg@10``.

    precision@k divides by k even when fewer than k ids were retrieved; nDCG uses binary relevance with a
    log2(rank + 1) discount and the ideal ranking of min(|gold|, 10) relevant ids.
    """
    gold_set = set(gold)
    if not gold_set:
        raise ValueError("retrieval_scores needs at least one gold id")
    top = dedupe(ranked)
    relevant = [doc_id in gold_set for doc_id in top]
    scores: dict[str, float] = {}
    for k in ks:
        found = sum(relevant[:k])
        scores[f"recall@{k}"] = found / len(gold_set)
        scores[f"precision@{k}"] = found / k
        scores[f"hit@{k}"] = 1.0 if found else 0.0
    first = next((i for i, rel in enumerate(relevant[:CUTOFF], start=1) if rel), None)
    scores[f"mrr@{CUTOFF}"] = 1.0 / first if first else 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, rel in enumerate(relevant[:CUTOFF], start=1) if rel)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(gold_set), CUTOFF) + 1))
    scores[f"ndcg@{CUTOFF}"] = dcg / ideal
    return scores


def retrieval_metrics(
    ranked: Sequence[Sequence[str]], gold: Sequence[Collection[str]], ks: Sequence[int] = DEFAULT_KS
) -> dict[str, float]:
    """Mean of :func:`retrieval_scores` over questions with non-empty gold, plus ``"n"`` (questions counted).

    Each ranked list is de-duplicated first (see :func:`dedupe`); gold ids that cannot be retrieved (for
    example ``MISSING:…``) simply count as misses.
    """
    _check_lengths(ranked, gold)
    if not ks or any(k <= 0 for k in ks):
        raise ValueError(f"ks must be positive cut-offs, got {tuple(ks)}")
    rows = [retrieval_scores(r, g, ks) for r, g in zip(ranked, gold, strict=True) if g]
    keys = list(retrieval_scores(["x"], ["x"], ks))
    return _mean_rows(rows, keys)


def citation_metrics(cited: Sequence[Collection[str]], gold: Sequence[Collection[str]]) -> dict[str, float]:
    """Micro-averaged citation quality over questions that have gold (unanswerable ones are skipped).

    ``citation_precision`` = cited ids that are gold / all cited ids, over questions that cited something;
    ``citation_recall`` = gold ids that were cited / all gold ids, over all questions with gold.
    ``n`` counts questions with gold, ``n_cited`` those among them that cited something.
    """
    _check_lengths(cited, gold)
    hits = n_cited_ids = n_gold_ids = n = n_cited = 0
    for cited_ids, gold_ids in zip(cited, gold, strict=True):
        gold_set, cited_set = set(gold_ids), set(cited_ids)
        if not gold_set:
            continue
        n += 1
        n_cited += bool(cited_set)
        hits += len(cited_set & gold_set)
        n_cited_ids += len(cited_set)
        n_gold_ids += len(gold_set)
    return {
        "citation_precision": _ratio(hits, n_cited_ids),
        "citation_recall": _ratio(hits, n_gold_ids),
        "n": n,
        "n_cited": n_cited,
    }


def abstention_metrics(abstained: Sequence[bool], answerable: Sequence[bool]) -> dict[str, float]:
    """Abstention as a classifier whose positive class is "should abstain" (an unanswerable question).

    ``false_abstain_rate`` is the share of answerable questions the assistant wrongly refused. Undefined
    ratios (no abstentions, no unanswerable questions) are 0.0.
    """
    _check_lengths(abstained, answerable)
    pairs = list(zip(abstained, answerable, strict=True))
    tp = sum(1 for a, ok in pairs if a and not ok)
    fp = sum(1 for a, ok in pairs if a and ok)
    fn = sum(1 for a, ok in pairs if not a and not ok)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {
        "abstain_precision": precision,
        "abstain_recall": recall,
        "abstain_f1": _ratio(2 * precision * recall, precision + recall),
        "false_abstain_rate": _ratio(fp, sum(1 for _, ok in pairs if ok)),
        "n_unanswerable": tp + fn,
    }


def abstention_auc(evidence: Sequence[float], answerable: Sequence[bool]) -> float:
    """ROC AUC of the evidence score for telling answerable from unanswerable questions: the probability that a
    random answerable question scores above a random unanswerable one (ties count half). 0.0 when a class is
    missing."""
    _check_lengths(evidence, answerable)
    pos = [e for e, a in zip(evidence, answerable, strict=True) if a]
    neg = [e for e, a in zip(evidence, answerable, strict=True) if not a]
    if not pos or not neg:
        return 0.0
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def answer_tokens(text: str) -> list[str]:
    """Tokens for answer comparison: NFC + traditional tone placement, lower-case, punctuation removed.

    Diacritics are kept: in Vietnamese they distinguish words ("sai" wrong ≠ "sài" spend).
    """
    lowered = normalize_text(text).casefold()
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in lowered)
    return cleaned.split()


def token_f1(pred: str, gold: str) -> float:
    """SQuAD-style token F1 on :func:`answer_tokens`; 1.0 when both are empty, 0.0 when only one is."""
    pred_tokens, gold_tokens = answer_tokens(pred), answer_tokens(gold)
    if not pred_tokens or not gold_tokens:
        return float(pred_tokens == gold_tokens)
    common = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
    if not common:
        return 0.0
    precision, recall = common / len(pred_tokens), common / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def exact_match(pred: str, gold: str) -> float:
    """1.0 when the normalised token sequences are equal, else 0.0."""
    return float(answer_tokens(pred) == answer_tokens(gold))


def token_recall(pred: str, gold: str) -> float:
    """Share of the gold answer's tokens found in the prediction: how much of the fact a longer, quoted answer
    carries (token F1 punishes quoting; this does not — read it together with the answer length)."""
    gold_tokens = answer_tokens(gold)
    if not gold_tokens:
        return 1.0
    return sum((Counter(answer_tokens(pred)) & Counter(gold_tokens)).values()) / len(gold_tokens)


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def figures(text: str) -> set[str]:
    """The numbers written in ``text`` ("04 giờ" and "4 giờ", "75.000" and "75000" agree); [n] markers skipped."""
    found = set()
    for match in _FIGURE.finditer(MARKER.sub(" ", text)):
        digits = match.group().replace(".", "").replace(",", "")
        found.add(digits.lstrip("0") or "0")
    return found


def figure_recall(pred: str, gold: str) -> float | None:
    """Share of the gold answer's numbers (amounts, time limits, dates) present in the prediction; None when the
    gold answer has none."""
    wanted = figures(gold)
    if not wanted:
        return None
    return len(wanted & figures(pred)) / len(wanted)


def lead_line(text: str) -> str:
    """The first line that cites a source ([n]): what a reader takes as the answer."""
    return next((line for line in text.splitlines() if MARKER.search(line)), "")


def answer_metrics(preds: Sequence[str], golds: Sequence[str]) -> dict[str, float]:
    """Over pairs whose gold answer is non-empty: mean ``token_f1``, ``exact_match``, ``token_recall`` and
    prediction length ``chars``; ``figure_recall`` over the golds that contain numbers (``n_figures`` of them);
    ``lead_token_recall`` and ``lead_figure_recall``: the same for the answer's first cited line only."""
    _check_lengths(preds, golds)
    pairs = [(p, g) for p, g in zip(preds, golds, strict=True) if g.strip()]
    rows = [
        {"token_f1": token_f1(p, g), "exact_match": exact_match(p, g), "token_recall": token_recall(p, g),
         "lead_token_recall": token_recall(lead_line(p), g), "chars": float(len(p))}
        for p, g in pairs
    ]  # fmt: skip
    out = _mean_rows(rows, ["token_f1", "exact_match", "token_recall", "lead_token_recall", "chars"])
    for name, pick in (("figure_recall", lambda p: p), ("lead_figure_recall", lead_line)):
        found = [r for p, g in pairs if (r := figure_recall(pick(p), g)) is not None]
        out[name] = sum(found) / len(found) if found else 0.0
    out["n_figures"] = float(sum(1 for _, g in pairs if figures(g)))
    return out


_TRUE = {"dung", "true", "yes"}
_FALSE = {"sai", "false", "no"}
_LETTER = re.compile(r"^(?:dap an|answer|phuong an)?\s*\(?([a-d])\s*[).:]?$")


def normalize_choice(label: str) -> str | None:
    """Canonical label: "Đúng"/"Sai" for true/false, "A".."D" for multiple choice; None when unrecognised."""
    folded = fold_diacritics(normalize_text(label)).strip().strip(string.punctuation + " ")
    if folded in _TRUE:
        return "Đúng"
    if folded in _FALSE:
        return "Sai"
    match = _LETTER.match(folded)
    return match.group(1).upper() if match else None


def choice_accuracy(preds: Sequence[str], golds: Sequence[str]) -> dict[str, float]:
    """Share of questions whose predicted label equals the gold one after :func:`normalize_choice`.

    Pairs whose gold is not a recognised label are skipped; an unrecognised prediction counts as wrong.
    """
    _check_lengths(preds, golds)
    correct = n = 0
    for pred, gold in zip(preds, golds, strict=True):
        gold_label = normalize_choice(gold)
        if gold_label is None:
            continue
        n += 1
        correct += normalize_choice(pred) == gold_label
    return {"choice_accuracy": _ratio(correct, n), "n": n}


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95 (linear interpolation between order statistics, numpy's default), max and mean, in ms."""
    if not len(seconds):
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0, "mean_ms": 0.0}
    ms = np.asarray(seconds, dtype=np.float64) * 1000.0
    p50, p95 = np.percentile(ms, [50, 95])
    return {
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "max_ms": float(ms.max()),
        "mean_ms": float(ms.mean()),
    }


def bootstrap_ci(
    values: Sequence[float], *, n_resamples: int = 1000, alpha: float = 0.05, seed: int = 0
) -> tuple[float, float]:
    """Percentile-bootstrap (1 − alpha) interval of the mean; deterministic for a given ``seed``.

    An empty input gives (0.0, 0.0).
    """
    if n_resamples <= 0 or not 0 < alpha < 1:
        raise ValueError(f"need n_resamples > 0 and 0 < alpha < 1, got {n_resamples}, {alpha}")
    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    batch = max(1, 4_000_000 // data.size)  # bound memory: resample in batches of at most ~4M draws
    means = np.empty(n_resamples, dtype=np.float64)
    for start in range(0, n_resamples, batch):
        stop = min(start + batch, n_resamples)
        idx = rng.integers(0, data.size, size=(stop - start, data.size))
        means[start:stop] = data[idx].mean(axis=1)
    lo, hi = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


def confidence_intervals(
    rows: Sequence[Mapping[str, float]],
    keys: Iterable[str],
    *,
    n_resamples: int = 1000,
    alpha: float = 0.05,
    seed: int = 0,
) -> dict[str, list[float]]:
    """``{"<key>_ci": [lo, hi]}``: :func:`bootstrap_ci` over the per-question ``rows`` carrying each key."""
    result: dict[str, list[float]] = {}
    for key in keys:
        values = [row[key] for row in rows if key in row]
        if values:
            lo, hi = bootstrap_ci(values, n_resamples=n_resamples, alpha=alpha, seed=seed)
            result[f"{key}_ci"] = [lo, hi]
    return result


def metrics_by_category(
    rows: Sequence[Mapping[str, float]], categories: Sequence[Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Mean of per-question ``rows`` per category (a question counts in each of its categories), with ``n``.

    Questions without a category are grouped under ``"(none)"``. Categories come out sorted by name.
    """
    _check_lengths(rows, categories)
    groups: dict[str, list[Mapping[str, float]]] = defaultdict(list)
    for row, cats in zip(rows, categories, strict=True):
        for cat in dict.fromkeys(cats or [UNCATEGORISED]):
            groups[cat].append(row)
    result: dict[str, dict[str, float]] = {}
    for cat in sorted(groups):
        keys = list(dict.fromkeys(k for row in groups[cat] for k in row))
        result[cat] = _mean_rows(groups[cat], keys)
    return result


def _mean_rows(rows: Sequence[Mapping[str, float]], keys: Sequence[str]) -> dict[str, float]:
    result = {
        key: _ratio(sum(row[key] for row in rows if key in row), sum(1 for row in rows if key in row)) for key in keys
    }
    result["n"] = len(rows)
    return result


def _ratio(num: float, den: float) -> float:
    return float(num) / den if den else 0.0


def _check_lengths(a: Sized, b: Sized) -> None:
    if len(a) != len(b):
        raise ValueError(f"inputs must have one entry per question, got {len(a)} and {len(b)}")

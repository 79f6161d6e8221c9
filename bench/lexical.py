"""The lexical index at a province's scale: the product's numpy postings against bm25s and tantivy.

Usage: python bench/lexical.py [--sizes 100000 1000000] [--questions 200] [--engines numpy bm25s tantivy]

Every engine indexes the same synthetic shelf as bench/scale.py (the 2,249 real alqac-dev articles plus
recombined ones) with the same features (diacritic-folded syllables and syllable bigrams from
``assistant.text.tokenize.lexical_features``) and BM25 k1 1.2, b 0.75, so the figures compare engines, not
tokenisers. Each engine runs in its own process, so its memory is its own. Prints one JSON object with, per size
and engine: build seconds (tokenising included), resident memory after the build and its peak, bytes on disk,
query latency p50/p95/p99 (tokenising included) and R@1/R@5/R@10 of the alqac questions, plus the share of each
engine's top 10 that the product's own top 10 holds (1.0 means the same ranking).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from ask_latency import percentiles
from scale import ALQAC, load_articles, rss_mb, shelf  # bench/ is on the path when a bench script runs

from assistant.index.bm25 import Bm25Index
from assistant.text.tokenize import lexical_features

Search = Callable[[str], list[int]]


def _numpy(texts: Sequence[str], folder: Path) -> Search:
    index = Bm25Index()
    index.build(texts)
    index.save(folder / "bm25.npz")
    return lambda q: [row for row, _ in index.search(q, 10)]


def _bm25s(texts: Sequence[str], folder: Path) -> Search:
    import bm25s

    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    retriever.index([lexical_features(t) for t in texts], show_progress=False)
    retriever.save(str(folder / "bm25s"))

    def search(q: str) -> list[int]:
        found = retriever.retrieve([lexical_features(q)], k=10, show_progress=False, n_threads=1)
        return [int(r) for r, s in zip(found.documents[0], found.scores[0], strict=True) if s > 0]

    return search


def _tantivy(texts: Sequence[str], folder: Path) -> Search:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace")
    builder.add_integer_field("row", stored=True, indexed=False, fast=True)
    schema = builder.build()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    for row, text in enumerate(texts):
        writer.add_document(tantivy.Document(row=row, body=" ".join(lexical_features(text))))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    def search(q: str) -> list[int]:
        terms = " ".join(dict.fromkeys(lexical_features(q)))
        if not terms:
            return []
        hits = searcher.search(index.parse_query(terms, ["body"]), 10).hits
        return [int(searcher.doc(address)["row"][0]) for _, address in hits]

    return search


ENGINES: dict[str, Callable[[Sequence[str], Path], Search]] = {"numpy": _numpy, "bm25s": _bm25s, "tantivy": _tantivy}


def _disk_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def run_engine(engine: str, size: int, seed: int, questions: list[dict[str, Any]], out: Any) -> None:
    """In a child process: build ``engine`` over the shelf of ``size`` and send its figures through ``out``."""
    records = shelf(load_articles(ALQAC), size, seed)
    texts = [r.text for r in records]
    doc_ids = [r.doc_id for r in records]
    del records
    gc.collect()
    rss_before = rss_mb(os.getpid())
    folder = Path(tempfile.mkdtemp(prefix=f"lexical-{engine}-"))
    try:
        started = time.perf_counter()
        search = ENGINES[engine](texts, folder)
        build = time.perf_counter() - started
        gc.collect()
        rss_built = rss_mb(os.getpid())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for q in questions[:5]:
            search(q["question"])
        latencies, hits, tops = [], {1: 0, 5: 0, 10: 0}, []
        for q in questions:
            t = time.perf_counter()
            rows = search(q["question"])
            latencies.append((time.perf_counter() - t) * 1000)
            tops.append(rows)
            docs = [doc_ids[r] for r in rows]
            for k in hits:
                hits[k] += any(d in q["relevant_ids"] for d in docs[:k])
        out.send(
            {
                "build_seconds": round(build, 1),
                "docs_per_s": round(size / build, 1),
                "rss_mb_index": round(rss_built - rss_before, 1),
                "rss_mb_peak_over_texts": round(peak - rss_before, 1),
                "disk_mb": round(_disk_bytes(folder) / 2**20, 1),
                "query": percentiles(latencies),
                "recall_at": {f"R@{k}": round(v / len(questions), 3) for k, v in hits.items()},
                "tops": tops,
            }
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(engine: str, size: int, seed: int, questions: list[dict[str, Any]]) -> dict[str, Any]:
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=run_engine, args=(engine, size, seed, questions, send))
    child.start()
    send.close()
    try:
        figures: dict[str, Any] = receive.recv()
    except EOFError:
        child.join()
        return {"error": f"the {engine} process ended with exit code {child.exitcode} (out of memory?)"}
    child.join()
    return figures


def overlap(tops: list[list[int]], reference: list[list[int]]) -> float:
    shared = [len(set(a) & set(b)) / max(1, len(b)) for a, b in zip(tops, reference, strict=True) if b]
    return round(float(np.mean(shared)), 3) if shared else 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lines = (ALQAC / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines][: args.questions]
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "questions": len(questions),
        "sizes": {},
    }
    for size in args.sizes:
        by_engine = {engine: measure(engine, size, args.seed, questions) for engine in args.engines}
        reference = by_engine.get("numpy", {}).get("tops")
        for figures in by_engine.values():
            tops = figures.pop("tops", None)
            if reference is not None and tops is not None:
                figures["top10_shared_with_numpy"] = overlap(tops, reference)
        result["sizes"][str(size)] = by_engine
        print(json.dumps({str(size): by_engine}, ensure_ascii=False), file=sys.stderr, flush=True)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

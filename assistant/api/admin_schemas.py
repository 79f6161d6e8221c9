"""Schemas of the undo, rollback and backup routes (admin only): the trash, index versions, rollback."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from assistant.index.versions import PublishedVersion
from ingest.trash import TrashEntry


class TrashEntryOut(BaseModel):
    entry_id: str
    doc_id: str
    title: str
    number: str
    unit: str
    visibility: str
    removed_by: str
    removed_at: str
    reason: str
    from_version: str
    chunks: int
    expires_at: str = Field(description="After this time the entry is purged and can no longer be restored")

    @classmethod
    def from_core(cls, entry: TrashEntry) -> TrashEntryOut:
        return cls.model_validate(entry.as_dict())


class TrashList(BaseModel):
    retention_days: int
    entries: list[TrashEntryOut]


class TrashRestored(BaseModel):
    restored: str
    version: str = Field(description="The index version published with the document back")
    chunks: int
    embedded: int = Field(description="Chunks embedded again (0 when the kept vectors were reused)")


class TrashPurged(BaseModel):
    purged: list[str]


class VersionOut(BaseModel):
    version: str
    created: str
    documents: int
    chunks: int
    current: bool
    rolled_back_from: str

    @classmethod
    def from_core(cls, version: PublishedVersion) -> VersionOut:
        return cls(
            version=version.version, created=version.created, documents=version.documents, chunks=version.chunks,
            current=version.current, rolled_back_from=version.rolled_back_from,
        )  # fmt: skip


class VersionList(BaseModel):
    keep: int
    versions: list[VersionOut]


class RollbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1, max_length=80, description="A kept version from GET /v1/index/versions")


class RollbackResponse(BaseModel):
    version: str = Field(description="The new current version (a copy of the one rolled back to)")
    rolled_back_from: str

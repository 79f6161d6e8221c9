"""Cut a parsed document into retrieval chunks at article/clause (or Party item, or heading) granularity.

Chunk ids are ``"<doc_id>:<slug>"``:

* legal mode: ``dieu-5`` (whole article), ``dieu-5-khoan-2`` (one clause of a long article; the article's
  lead-in goes with its first clause), ``dieu-5-khoan-2-p2`` (later parts of a clause split at its points),
  ``dieu-5-p2`` (long article without clauses); ``mo-dau`` (header and căn cứ), ``cuoi`` (substantive text
  after the signature), ``phu-luc`` (an appendix), ``chuong-ii`` (text under a chapter outside any article);
* party mode: ``muc-ii-3`` (item 3 of section II), ``muc-ii`` (a section without numbered items);
* plain mode: ``phan-1``, ``phan-2``… in document order.

A repeated slug (an article number that recurs in an attached regulation) gets ``-2``, ``-3``.
Every legal/party chunk's text starts with the heading line of its article/section. The page span counts the
blocks whose text the chunk carries; a heading repeated only as context does not widen it.
``content_hash`` is the full SHA-256 hex digest of the UTF-8 chunk text (see :func:`chunk_hash`).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.text.legal_grammar import is_upper_line
from assistant.text.normalize import slugify
from assistant.types import Block, Chunk, DocumentMeta, LoadedDocument
from ingest.structure import LegalStructureParser, ParsedDocument, StructureNode

logger = logging.getLogger(__name__)

MIN_PREAMBLE_CHARS = 40
_CONTAINER_SLUG = {"part": "phan", "chapter": "chuong", "section": "muc"}


@dataclass
class _Segment:
    """Text that stays together when a unit is packed into parts, with the blocks it came from."""

    text: str
    blocks: list[Block]
    point: str = ""


def _seg(blocks: list[Block], point: str = "") -> _Segment:
    return _Segment("\n".join(b.text for b in blocks), list(blocks), point)


@dataclass
class _Draft:
    slug: str
    text: str
    blocks: list[Block]
    heading: str = ""
    heading_path: tuple[str, ...] = ()
    article: str = ""
    clause: str = ""
    point: str = ""


def chunk_hash(text: str) -> str:
    """The content hash of a chunk: SHA-256 hex digest of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunk_document(
    doc: DocumentMeta, loaded: LoadedDocument, *, max_chars: int = 1800, overlap_chars: int = 200
) -> list[Chunk]:
    """Chunks of ``loaded`` in document order, with unique ids, heading paths and page spans."""
    if max_chars < 100:
        raise ValueError(f"max_chars must be >= 100, got {max_chars}")
    if not 0 <= overlap_chars < max_chars // 2:
        raise ValueError(f"overlap_chars must be in [0, max_chars/2), got {overlap_chars}")
    parsed = LegalStructureParser().parse(loaded.blocks)
    drafts = _Chunker(max_chars, overlap_chars).drafts(parsed)
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for ordinal, draft in enumerate(drafts):
        chunk_id, n = f"{doc.doc_id}:{draft.slug}", 1
        while chunk_id in seen:
            n += 1
            chunk_id = f"{doc.doc_id}:{draft.slug}-{n}"
        seen.add(chunk_id)
        pages = [b.page for b in draft.blocks if b.page is not None]
        chunks.append(
            Chunk(
                chunk_id=chunk_id,
                doc_id=doc.doc_id,
                ordinal=ordinal,
                text=draft.text,
                heading_path=draft.heading_path,
                heading=draft.heading,
                article=draft.article,
                clause=draft.clause,
                point=draft.point,
                page_start=min(pages) if pages else None,
                page_end=max(pages) if pages else None,
                content_hash=chunk_hash(draft.text),
            )
        )
    logger.info("%s: %d chunks (%s mode)", doc.doc_id, len(chunks), parsed.mode)
    return chunks


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _is_signature_line(text: str) -> bool:
    words = text.split()
    return (
        text.startswith(("Nơi nhận", "NƠI NHẬN", "-", "+", "•", "Lưu", "TM.", "KT.", "TL.", "TUQ.", "T/M", "K/T"))
        or (is_upper_line(text) and len(text) <= 80)
        or (text.startswith("(") and text.endswith(")") and len(text) <= 80)
        or (0 < len(words) <= 5 and all(w[:1].isupper() and w.isalpha() for w in words))
    )


class _Chunker:
    def __init__(self, max_chars: int, overlap_chars: int) -> None:
        self.max_chars, self.overlap = max_chars, overlap_chars

    def drafts(self, parsed: ParsedDocument) -> list[_Draft]:
        out: list[_Draft] = []
        plain_index = 0
        for ancestors, node in parsed.walk():
            path = tuple(a.heading for a in ancestors if a.heading)
            if parsed.mode == "plain":
                for draft in self._plain(path, node):
                    plain_index += 1
                    draft.slug = f"phan-{plain_index}"
                    out.append(draft)
            elif node.kind == "article":
                out.extend(self._article(path, node))
            elif node.kind == "roman":
                out.extend(self._roman(node))
            else:
                out.extend(self._other(path, node))
        return out

    # --- splitting helpers ---------------------------------------------------------------------------

    def _split(self, segment: _Segment, budget: int, first_budget: int) -> list[_Segment]:
        """Cut a long segment with the recursive splitter (the first piece within ``first_budget``).

        Each piece keeps the blocks it overlaps, for its page span.
        """
        text = segment.text
        overlap = min(self.overlap, first_budget // 4)
        texts: list[str] = []
        if first_budget < budget:
            first = RecursiveCharacterTextSplitter(chunk_size=first_budget, chunk_overlap=overlap).split_text(text)[0]
            texts.append(first)
            text_rest = text[text.find(first) + len(first) :]
        else:
            text_rest = text
        texts += RecursiveCharacterTextSplitter(chunk_size=budget, chunk_overlap=overlap).split_text(text_rest)
        offsets, pos = [], 0
        for block in segment.blocks:
            offsets.append((pos, pos + len(block.text)))
            pos += len(block.text) + 1
        pieces, cursor = [], 0
        for piece in texts:
            found = text.find(piece, cursor)
            start = cursor if found < 0 else found
            cursor = start + 1
            end = start + len(piece)
            covered = [b for b, (s, e) in zip(segment.blocks, offsets, strict=True) if s < end and e > start]
            pieces.append(_Segment(piece, covered, segment.point))
        return pieces

    def _pack(self, prefix: str, segments: list[_Segment]) -> list[list[_Segment]]:
        """Group consecutive segments so that ``prefix + "\\n" + group`` stays within max_chars.

        A segment too long on its own is cut by the text splitter; its first piece fills the room left in the
        pending part, so a clause's lead line is not left alone in a chunk.
        """
        budget = max(self.max_chars - len(prefix) - 1, self.max_chars // 2) if prefix else self.max_chars
        parts: list[list[_Segment]] = []
        current: list[_Segment] = []
        size = 0
        for segment in segments:
            pieces = [segment]
            if len(segment.text) > budget:
                room = budget - size - 1 if current else budget
                pieces = self._split(segment, budget, room if room >= budget // 3 else budget)
            for piece in pieces:
                add = len(piece.text) + (1 if current else 0)
                if current and size + add > budget:
                    parts.append(current)
                    current, size, add = [], 0, len(piece.text)
                current.append(piece)
                size += add
        if current:
            parts.append(current)
        return parts

    def _parts(
        self,
        slug: str,
        prefix: str,
        segments: list[_Segment],
        *,
        heading: str = "",
        path: tuple[str, ...] = (),
        article: str = "",
        clause: str = "",
    ) -> list[_Draft]:
        """Drafts ``slug``, ``slug-p2``… each holding ``prefix`` (the heading line) and a packed part."""
        out = []
        for i, part in enumerate(self._pack(prefix, segments) or [[]]):
            body = "\n".join(seg.text for seg in part)
            point = part[0].point if len(part) == 1 else ""  # a part holding exactly one điểm cites it
            out.append(
                _Draft(
                    slug=slug if i == 0 else f"{slug}-p{i + 1}",
                    text=f"{prefix}\n{body}" if prefix and body else prefix or body,
                    blocks=[b for seg in part for b in seg.blocks],
                    heading=heading,
                    heading_path=(*path, f"Điểm {point}") if point else path,
                    article=article,
                    clause=clause,
                    point=point,
                )
            )
        return out

    @staticmethod
    def _segments(node: StructureNode, *, with_head: bool = False) -> list[_Segment]:
        """The node's own lines as one segment, then one segment per child (a point keeps its letter)."""
        own = node.blocks if with_head else node.body_blocks
        segments = [_seg(own)] if own else []
        segments.extend(_seg(c.all_blocks(), c.label if c.kind == "point" else "") for c in node.children)
        return segments

    # --- per unit ------------------------------------------------------------------------------------

    def _article(self, path: tuple[str, ...], art: StructureNode) -> list[_Draft]:
        n, heading, art_path = slugify(art.label), art.heading, (*path, art.heading)
        body = "\n".join(b.text for b in art.body_blocks + [x for c in art.children for x in c.all_blocks()])
        text = f"{heading}\n{body}" if body else heading
        if len(text) <= self.max_chars:
            return [_Draft(f"dieu-{n}", text, art.all_blocks(), heading, art_path, art.label)]
        clauses = [c for c in art.children if c.kind == "clause"]
        head_blocks = art.blocks[: art.head_count]
        if not clauses:
            drafts = self._parts(
                f"dieu-{n}", heading, self._segments(art), heading=heading, path=art_path, article=art.label
            )
            drafts[0].blocks[:0] = head_blocks
            return drafts
        lead = [_seg(art.body_blocks)] if art.body_blocks else []
        lead += [_seg(c.all_blocks(), c.label) for c in art.children[: art.children.index(clauses[0])]]
        out: list[_Draft] = []
        for i, clause in enumerate(clauses):
            segments = (lead if i == 0 else []) + self._segments(clause, with_head=True)
            drafts = self._parts(
                f"dieu-{n}-khoan-{clause.label}",
                heading,
                segments,
                heading=heading,
                path=(*art_path, f"Khoản {clause.label}"),
                article=art.label,
                clause=clause.label,
            )
            if i == 0:
                drafts[0].blocks[:0] = head_blocks
            out.extend(drafts)
        return out

    def _roman(self, section: StructureNode) -> list[_Draft]:
        r, heading = section.label.lower(), section.heading
        items = [c for c in section.children if c.kind == "item"]
        if not items:
            drafts = self._parts(f"muc-{r}", heading, self._segments(section), heading=heading, path=(heading,))
            drafts[0].blocks[:0] = section.blocks[: section.head_count]
            return drafts
        lead = [_seg(section.body_blocks)] if section.body_blocks else []
        lead += [_seg(c.all_blocks(), c.label) for c in section.children[: section.children.index(items[0])]]
        out: list[_Draft] = []
        for i, item in enumerate(items):
            label = _short(item.heading)
            segments = (lead if i == 0 else []) + self._segments(item, with_head=True)
            drafts = self._parts(f"muc-{r}-{item.label}", heading, segments, heading=label, path=(heading, label))
            if i == 0:
                drafts[0].blocks[:0] = section.blocks[: section.head_count]
            out.extend(drafts)
        return out

    def _other(self, path: tuple[str, ...], node: StructureNode) -> list[_Draft]:
        """Preamble, closing, appendix, and stray text under a Phần/Chương/Mục heading."""
        own = node.blocks if node.kind in ("preamble", "closing", "appendix") else node.body_blocks
        if node.kind in ("clause", "point", "item") or not own:
            return []  # clauses, points and items are emitted with their article or section
        text = "\n".join(b.text for b in own)
        if node.kind == "preamble":
            if len(text.strip()) < MIN_PREAMBLE_CHARS:
                return []
            return self._parts("mo-dau", "", [_seg(own)], path=("Phần mở đầu",))
        if node.kind == "closing":
            substance = sum(len(b.text) for b in own if not _is_signature_line(b.text))
            if substance < MIN_PREAMBLE_CHARS:
                return []
            return self._parts("cuoi", "", [_seg(own)], path=("Phần cuối",))
        if node.kind == "appendix":
            return self._parts("phu-luc", "", [_seg(own)], heading=node.heading, path=(node.heading,))
        slug = f"{_CONTAINER_SLUG.get(node.kind, 'phan')}-{slugify(node.label)}"
        return self._parts(
            slug, node.heading, [_seg(node.body_blocks)], heading=node.heading, path=(*path, node.heading)
        )

    def _plain(self, path: tuple[str, ...], node: StructureNode) -> list[_Draft]:
        if not node.body_blocks:
            return []
        heading = node.heading
        full_path = (*path, heading) if heading else path
        drafts = self._parts("", heading, [_seg(node.body_blocks)], heading=heading, path=full_path)
        drafts[0].blocks[:0] = node.blocks[: node.head_count]
        return drafts

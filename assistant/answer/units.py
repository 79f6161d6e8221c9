"""The quotable units of a passage: its sentences and list items."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.text.legal_grammar import BULLET_START, CLAUSE, POINT, match_article, match_container, split_sentences


@dataclass(frozen=True)
class Unit:
    """A quotable sentence or list item of a passage."""

    passage_index: int
    position: int
    text: str
    is_lead_in: bool  # ends with ":" and introduces the list items that follow


def is_list_item(text: str) -> bool:
    return bool(CLAUSE.match(text) or POINT.match(text) or BULLET_START.match(text))


def split_units(passage_index: int, text: str) -> list[Unit]:
    """Sentences and list items of a chunk, skipping its heading line."""
    units: list[Unit] = []
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and (match_article(lines[0]) or match_container(lines[0])):
        lines = lines[1:]
    for line in lines:
        pieces = [line] if is_list_item(line) and len(line) < 400 else split_sentences(line)
        for piece in pieces:
            piece = piece.strip()
            if len(piece) >= 12:
                units.append(Unit(passage_index, len(units), piece, piece.endswith(":")))
    return units

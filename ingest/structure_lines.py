"""One line of a Vietnamese document: where the closing (signature block) and the appendices begin.

The structural markers (Phần/Chương/Mục, Điều, khoản, điểm, Party numbering), roman numerals and the capital-line
rule are the shared grammar of :mod:`assistant.text.legal_grammar`; the roman helpers and :func:`match_article`
are re-exported here for existing imports. Every pattern is anchored at the start of a line; whether a line really
opens a unit is decided by :mod:`ingest.structure`.
"""

from __future__ import annotations

import re

from assistant.text.legal_grammar import ROMAN, int_to_roman, match_article, roman_to_int

__all__ = ["APPENDIX", "CLOSING", "int_to_roman", "match_article", "roman_to_int"]

CLOSING = re.compile(r"^(?:Nơi nhận|NƠI NHẬN)\b|^(?:TM|KT|TL|TUQ)\.\s*\S|^(?:T/M|K/T|T/L)\s+\S")
APPENDIX = re.compile(rf"^PHỤ LỤC\b|^Phụ lục\s+(?:{ROMAN}|\d{{1,2}}|số\s+\d{{1,2}})\s*[.:]?\s*$")

"""A bilingual glossary of administrative terms: English questions over the Vietnamese shelf get the Vietnamese
terms added for the lexical index (the dense encoder is multilingual and reads the English as it is)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.text.normalize import nfc

GLOSSARY_FILE = Path(__file__).resolve().parents[1] / "resources" / "glossary_en_vi.tsv"


@dataclass(frozen=True)
class Glossary:
    """English phrase (lower case) → Vietnamese term; ``translate`` takes the longest matches first."""

    entries: dict[str, str]

    @classmethod
    def load(cls, path: Path = GLOSSARY_FILE) -> Glossary:
        entries: dict[str, str] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            english, sep, vietnamese = line.partition("\t")
            if not sep or not english.strip() or not vietnamese.strip():
                raise ValueError(f"{path}:{number}: expected 'english<TAB>tiếng Việt', got {line!r}")
            entries[english.strip().casefold()] = nfc(vietnamese.strip())
        return cls(entries)

    def translate(self, question: str) -> tuple[str, ...]:
        """Vietnamese terms for the glossary phrases in ``question``, in order, each once."""
        words = re.findall(r"[a-z0-9'-]+", question.casefold())
        longest = max((len(k.split()) for k in self.entries), default=1)
        found: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                term = self.entries.get(" ".join(words[i : i + n]))
                if term is not None:
                    if term not in found:
                        found.append(term)
                    i += n
                    break
            else:
                i += 1
        return tuple(found)

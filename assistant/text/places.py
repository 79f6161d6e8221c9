"""Places a question or a document names: provinces (by their names alone, "Cao Bằng", "Lạng Sơn", or after "tỉnh")
and the communes, wards and former districts named after their level ("xã Chi Lăng", "huyện Lộc Bình").

A question that names a place asks about that place. A national text (its title and issuer name no place: a law, a
decree, a Politburo resolution) covers every place; a local one covers the places its title or issuer names (a
commune's text whose province it does not repeat also covers a province) and those its passage names. An answer
from another province's or commune's text is no answer: :func:`uncovered_places` is the evidence layer's check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from assistant.text.normalize import fold_diacritics, has_diacritics, nfc

__all__ = ["PROVINCES", "as_written", "load_units", "named_places", "provinces_in", "uncovered_places"]

# The 63 provinces and cities before the 2025 merger (the 34 after it keep names among these), folded.
PROVINCES = frozenset(
    " ".join(name.split())
    for name in """an giang|ba ria vung tau|bac giang|bac kan|bac lieu|bac ninh|ben tre|binh dinh|binh duong|binh phuoc
    |binh thuan|ca mau|can tho|cao bang|da nang|dak lak|dak nong|dien bien|dong nai|dong thap|gia lai|ha giang
    |ha nam|ha noi|ha tinh|hai duong|hai phong|hau giang|hoa binh|hung yen|khanh hoa|kien giang|kon tum|lai chau
    |lam dong|lang son|lao cai|long an|nam dinh|nghe an|ninh binh|ninh thuan|phu tho|phu yen|quang binh|quang nam
    |quang ngai|quang ninh|quang tri|soc trang|son la|tay ninh|thai binh|thai nguyen|thanh hoa|thua thien hue|hue
    |tien giang|tra vinh|tuyen quang|vinh long|vinh phuc|yen bai|ho chi minh""".split("|")
)  # fmt: skip
_PROVINCE = re.compile(
    r"\b(?:" + "|".join(n.replace(" ", r"\s+") for n in sorted(PROVINCES, key=len, reverse=True)) + r")\b"
)
# Names that are also common words ("hòa bình" peace, "long an", "thanh hóa" in "thành hóa đơn"): a province only
# when written with a capital.
_COMMON_WORDS = frozenset({"hoa binh", "thanh hoa", "long an", "hue", "son la", "ha nam", "ninh binh", "gia lai"})
# A level word and the words after it ("xã Chi Lăng", "phường Đông Kinh", "huyện Lộc Bình"): the capitalised ones
# are the name; English puts the name first ("Loc Binh district").
_LOCAL = re.compile(r"\b(?:xã|phường|thị trấn|huyện|quận|thị xã|commune|ward|district)\s+(\w+(?:\s+\w+){0,2})")
_LOCAL_BEFORE = re.compile(r"((?:\w+\s+){1,3})(?:commune|ward|district)\b")
# The same levels before a name typed in lower case, with diacritics ("xã hữu lũng") or without ("xa huu lung"):
# such a name is known only from the list of units (:func:`_units`), since most words after "xã" are no name.
_LOWER_LOCAL = re.compile(r"\b(?:xã|phường|thị trấn|thị xã|huyện|quận)\s+(\w+(?:\s+\w+){1,2})")
# Without diacritics "quan" is mostly "cơ quan"/"quản" and "dia phuong" is "địa phương": neither opens a name.
_PLAIN_LOCAL = re.compile(r"\b(?:xa|(?<!dia )phuong|thi tran|thi xa|huyen)\s+(\w+(?:\s+\w+){1,2})")
_UNIT_LEVEL = re.compile(r"^(?:xã|phường|đặc khu)\s+", re.IGNORECASE)


@functools.cache
def _units() -> dict[str, str]:
    """Vietnam's communes, wards and special zones since July 2025 (the ``vietnam-provinces`` package; most keep
    the name of a former commune or district), loaded on first use: each name in lower case as written and folded,
    mapped to its spelling ("hữu lũng" and "huu lung" → "Hữu Lũng")."""
    from vietnam_provinces import Ward

    names: dict[str, str] = {}
    for ward in Ward.iter_all():
        name = _UNIT_LEVEL.sub("", nfc(ward.name))
        names[name.lower()] = name
        names.setdefault(fold_diacritics(name), name)
    return names


def load_units() -> None:
    """Read the list of units now (80 ms) rather than on the first question that needs it."""
    _units()


def _lower_case_units(text: str) -> set[str]:
    """Units named in lower case after their level, folded. Without diacritics the words are compared folded; with
    them, as written, so that "xã hội phù hợp" does not read as ward Hội Phú (and "xa hoi" is always "xã hội")."""
    plain = not has_diacritics(text)
    units = _units()
    found = set()
    for match in (_PLAIN_LOCAL if plain else _LOWER_LOCAL).finditer(text.lower() if plain else text):
        words = match.group(1).split()
        if (not plain and words[0][:1].isupper()) or (plain and match.group().startswith("xa hoi")):
            continue  # a capitalised name is read by _LOCAL
        for size in (3, 2):
            key = " ".join(words[:size]).lower()
            if len(words) >= size and key in units:
                found.add(fold_diacritics(key))
                break
    return found


def _capitalised_run(words: list[str]) -> str:
    run: list[str] = []
    for word in words:
        if not (word[:1].isupper() and not word.isupper()):
            break
        run.append(word)
    return " ".join(run)


def provinces_in(text: str) -> set[str]:
    """The provinces ``text`` names, folded ("lang son"); spelt with or without diacritics."""
    text = nfc(text)
    folded = fold_diacritics(text).lower().replace("-", " ")
    found = set()
    for match in _PROVINCE.finditer(folded):
        name = " ".join(match.group().split())
        if name in _COMMON_WORDS and (len(folded) != len(text) or not text[match.start()].isupper()):
            continue
        found.add(name)
    return found


def named_places(text: str) -> set[str]:
    """Provinces and local units ``text`` names, folded: {"lang son", "chi lang"}; a unit typed in lower case counts
    when it is one of the country's communes or wards ("ubnd xa huu lung")."""
    text = nfc(text)
    local = {_capitalised_run(m.group(1).split()) for m in _LOCAL.finditer(text)}
    local |= {" ".join(_capitalised_run(m.group(1).split()[::-1]).split()[::-1]) for m in _LOCAL_BEFORE.finditer(text)}
    names = {" ".join(fold_diacritics(name).lower().split()) for name in local if name}
    names = {name for name in names if min(map(len, name.split())) > 1}  # not "huyện Z"
    return provinces_in(text) | names | _lower_case_units(text)


def uncovered_places(question: str, sources: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The places ``question`` names that none of ``sources`` covers; a source is (its passage with its heading,
    its document's title and issuer)."""
    asked = named_places(question)
    if not asked:
        return ()
    covered: set[str] = set()
    for text, document in sources:
        jurisdiction = named_places(document)
        if not jurisdiction:
            return ()  # a national text
        here = " ".join(fold_diacritics(nfc(f"{text} {document}")).lower().split())
        covered |= {place for place in asked if re.search(rf"\b{re.escape(place)}\b", here)}
        if not jurisdiction & PROVINCES:
            covered |= asked & PROVINCES
    return tuple(sorted(asked - covered))


def as_written(text: str, places: Iterable[str]) -> tuple[str, ...]:
    """The folded ``places`` as ``text`` writes them ("cao bang" → "Cao Bằng"), for messages; a unit's own
    spelling when ``text`` writes it without capitals or diacritics ("huu lung" → "Hữu Lũng")."""
    text = nfc(text)
    folded = fold_diacritics(text).lower()
    out = []
    for place in places:
        match = re.search(r"\b" + r"\s+".join(map(re.escape, place.split())) + r"\b", folded)
        written = text[match.start() : match.end()] if match and len(folded) == len(text) else ""
        proper = written[:1].isupper() and has_diacritics(written)
        out.append(written if proper else _units().get(place) or (written or place).title())
    return tuple(out)

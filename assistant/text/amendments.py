"""Amending instructions of a sửa đổi, bổ sung decision, read from its articles.

The phrasings handled are the common ones of Vietnamese amending decisions::

    Sửa đổi khoản 1 Điều 6 như sau: "…"              Sửa đổi, bổ sung khoản 3 Điều 5 như sau: (lines follow)
    Bổ sung khoản 4 vào Điều 6 như sau: "…"          Bổ sung điểm d vào sau điểm c khoản 2 Điều 7: "…"
    Khoản 2 Điều 6 được sửa đổi như sau: "…"         Nội dung Điều 2 … được sửa đổi như sau: (lines follow)
    Bãi bỏ khoản 4 Điều 9.                           Bãi bỏ cụm từ "…" tại khoản 1 Điều 2
    Thay thế cụm từ "A" bằng cụm từ "B" tại Điều 13 và Điều 14.

Several instructions in one sentence are separated by ";" ("…; bãi bỏ khoản 2 Điều 16.").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Action = Literal["amend", "add", "repeal", "replace_phrase", "remove_phrase"]

_OPEN_QUOTES = '"“«„'
_CLOSE_QUOTES = '"”»“'
_QUOTED = re.compile(r"[\"“«„]([^\"”»“]*)[\"”»“]")
_VERB = r"sửa đổi,\s*bổ sung|sửa đổi|bổ sung|bãi bỏ|thay thế|thay|bỏ"
_ACTIVE = re.compile(rf"^(?P<verb>{_VERB})\s+(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_PASSIVE = re.compile(
    rf"^(?:nội dung\s+(?:của\s+)?)?(?P<refs>.+?)\s+được\s+(?P<verb>{_VERB})\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
)
_NEXT_VERB = re.compile(rf";\s*(?=(?:{_VERB})\s)", re.IGNORECASE)
_NUMBERING = re.compile(r"^(?:\d{1,3}\.|[a-zđ]\))\s+")
_AS_FOLLOWS = re.compile(r"\s*(?:như sau)?\s*:\s*", re.IGNORECASE)
_REF = re.compile(
    r"\b(?P<kind>điểm|khoản|điều)\s+"
    r"(?P<values>(?:\d{1,3}[a-zđ]?|[a-zđ])(?:\s*(?:,\s*và|,|và)\s*(?:\d{1,3}[a-zđ]?|[a-zđ])(?![\wđ]))*)(?![\wđ])",
    re.IGNORECASE,
)
_PHRASE_REPLACE = re.compile(
    r"^(?:cụm\s+)?từ\s+[\"“«„](?P<old>[^\"”»“]+)[\"”»“]\s+bằng\s+(?:cụm\s+)?(?:từ\s+)?"
    r"[\"“«„](?P<new>[^\"”»“]*)[\"”»“]\s*(?:tại|ở|trong)\s+(?P<where>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_PHRASE_REMOVE = re.compile(
    r"^(?:cụm\s+)?từ\s+[\"“«„](?P<old>[^\"”»“]+)[\"”»“]\s*(?:tại|ở|trong)\s+(?P<where>.+)$", re.IGNORECASE | re.DOTALL
)
_LEVEL = {"điểm": 0, "khoản": 1, "điều": 2}


@dataclass(frozen=True)
class Target:
    """A provision of the amended document: Điều ``article``, khoản ``clause``, điểm ``point`` ("" when absent)."""

    article: str
    clause: str = ""
    point: str = ""

    @property
    def label(self) -> str:
        parts = [f"điểm {self.point}" if self.point else "", f"khoản {self.clause}" if self.clause else ""]
        return " ".join([p for p in parts if p] + [f"Điều {self.article}"])


@dataclass(frozen=True)
class Instruction:
    """One amending instruction: what it does, to which provisions, and the new text or phrases it brings."""

    action: Action
    targets: tuple[Target, ...]
    text: str  # the instruction as written, without the new text ("Sửa đổi khoản 1 Điều 6 như sau")
    new_text: str = ""  # amend/add: the new provision
    old_phrase: str = ""  # phrase instructions: the words replaced or removed
    new_phrase: str = ""  # replace_phrase: the words put in their place
    after: Target | None = None  # add: "vào sau điểm c khoản 2 Điều 7"
    source: str = ""  # where the instruction is in the amending document ("khoản 1 Điều 1")


@dataclass(frozen=True)
class AmendmentText:
    """The instructions read from an amending document, and sentences that look like one but could not be read."""

    instructions: tuple[Instruction, ...]
    unparsed: tuple[str, ...] = ()


def _strip_quotes(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES:
        return text[1:-1].strip()
    if text and text[0] in _OPEN_QUOTES:
        return text[1:].strip()
    return text


def _opens_unclosed_quote(text: str) -> bool:
    """True when ``text`` starts a quotation that it does not close (the quoted text continues on next lines)."""
    text = text.strip()
    return bool(text) and text[0] in _OPEN_QUOTES and not (len(text) > 1 and text.rstrip(".;")[-1] in _CLOSE_QUOTES)


def _ends_quote(line: str) -> bool:
    stripped = line.rstrip().rstrip(".;")
    return bool(stripped) and stripped[-1] in _CLOSE_QUOTES


def is_instruction(line: str) -> bool:
    """True when ``line`` (its own numbering removed) opens an amending instruction."""
    line = _NUMBERING.sub("", line.strip())
    if _ACTIVE.match(line):
        return True
    m = _PASSIVE.match(line)
    return bool(m and _REF.search(m.group("refs")))


def parse_refs(text: str) -> list[Target]:
    """The provisions named in ``text``: "điểm a, điểm b khoản 2 Điều 5", "khoản 2, khoản 3 Điều 6", "Điều 13 và
    Điều 14"; a provision without its Điều (such as "khoản 4" in "Bổ sung khoản 4 vào Điều 6") has article ""."""
    text = _QUOTED.sub(" ", text)
    tokens: list[tuple[int, str, int, int]] = []  # (level, value, start, end)
    for m in _REF.finditer(text):
        level = _LEVEL[m.group("kind").lower()]
        values = [v for v in re.split(r"\s*(?:,\s*và|,|và)\s*", m.group("values")) if v]
        for i, value in enumerate(values):
            start = m.start() if i == 0 else m.end()
            tokens.append((level, value.lower() if level == 0 else value, start, m.end()))
    context: dict[int, str] = {1: "", 2: ""}
    out: list[Target] = []
    for index in range(len(tokens) - 1, -1, -1):
        level, value, start, _ = tokens[index]
        previous = tokens[index - 1] if index > 0 else None
        container = previous is not None and previous[0] < level and not text[previous[3] : start].strip()
        if level == 2:
            context = {1: "", 2: value}
        elif level == 1:
            context[1] = value
        if container:
            continue
        if level == 2:
            out.append(Target(value))
        elif level == 1:
            out.append(Target(context[2], value))
        else:
            out.append(Target(context[2], context[1], value))
    return list(reversed(out))


def _split_sentences(text: str) -> list[str]:
    """``text`` cut at "; <verb>" outside quotations."""
    parts, start = [], 0
    for m in _NEXT_VERB.finditer(text):
        if text[: m.start()].count('"') % 2 == 0 and text[: m.start()].count("“") <= text[: m.start()].count("”"):
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _action(verb: str) -> Action:
    verb = re.sub(r"\s+", " ", verb.lower())
    if verb.startswith("sửa đổi") or verb.startswith("thay"):
        return "amend"
    if verb == "bổ sung":
        return "add"
    return "repeal"


def _head_and_content(rest: str) -> tuple[str, str, bool]:
    """Split an instruction at "như sau:" (or its first ":" outside quotes): (head, content, announces content)."""
    for m in _AS_FOLLOWS.finditer(rest):
        if rest[: m.start()].count('"') % 2 == 0 and rest[: m.start()].count("“") <= rest[: m.start()].count("”"):
            if "như sau" in m.group().lower() or ":" in m.group():
                return rest[: m.start()].strip(), rest[m.end() :].strip(), True
    tail = re.search(r"\s+như sau\.?$", rest, re.IGNORECASE)
    if tail:
        return rest[: tail.start()].strip(), "", True
    return rest.strip().rstrip(".;").strip(), "", False


def _complete(targets: list[Target], anchor: Target | None) -> list[Target]:
    """Fill a new provision's missing Điều/khoản from the one it is added to ("khoản 4 vào Điều 6")."""
    if anchor is None:
        return targets
    out = []
    for t in targets:
        article = t.article or anchor.article
        clause = t.clause or (anchor.clause if t.point and not t.article else "")
        out.append(Target(article, clause, t.point))
    return out


def _phrase_instruction(action: Action, rest: str, sentence: str, source: str) -> Instruction | None:
    """ "Thay thế cụm từ "A" bằng cụm từ "B" tại …" and "Bãi bỏ cụm từ "A" tại …" (None for other sentences)."""
    phrase = _PHRASE_REPLACE.match(rest) if action == "amend" else _PHRASE_REMOVE.match(rest)
    if phrase is None:
        return None
    targets = tuple(t for t in parse_refs(phrase.group("where").strip().rstrip(".;")) if t.article)
    kind: Action = "replace_phrase" if action == "amend" else "remove_phrase"
    new_phrase = phrase.group("new") if kind == "replace_phrase" else ""
    return Instruction(kind, targets, sentence.rstrip(".;"), "", phrase.group("old"), new_phrase, None, source)


def _sentence(sentence: str, source: str) -> tuple[Instruction | None, bool]:
    """The instruction of one sentence (None when it is not one) and whether its new text follows on next lines."""
    sentence = _NUMBERING.sub("", sentence.strip())
    sentence = sentence[:1].upper() + sentence[1:]
    active, passive = _ACTIVE.match(sentence), _PASSIVE.match(sentence)
    if active:
        verb, refs_text, rest = active.group("verb"), "", active.group("rest")
    elif passive and _REF.search(passive.group("refs")):
        verb, refs_text, rest = passive.group("verb"), passive.group("refs"), passive.group("rest")
    else:
        return None, False
    action = _action(verb)
    if action in ("amend", "repeal") and not refs_text:
        phrase = _phrase_instruction(action, rest.strip(), sentence, source)
        if phrase is not None:
            return phrase, False
    head, content, announces = _head_and_content(rest)
    after: Target | None = None
    targets: list[Target]
    if refs_text:
        targets = parse_refs(refs_text)
    else:
        into = re.search(r"\s+vào\s+(?:(?P<after>sau|trước)\s+)?", head, re.IGNORECASE)
        if into:
            anchors = parse_refs(head[into.end() :])
            anchor = anchors[0] if anchors else None
            targets = _complete(parse_refs(head[: into.start()]), anchor)
            if into.group("after") and into.group("after").lower() == "sau" and anchor and anchor.article:
                after = anchor
        else:
            targets = parse_refs(head)
    targets = [t for t in targets if t.article]
    if not targets:
        return Instruction(action, (), sentence.rstrip(".;"), source=source), False
    text = sentence.split(":")[0].strip() if announces else sentence.rstrip(".;")
    instruction = Instruction(action, tuple(targets), text, _strip_quotes(content), after=after, source=source)
    follows = action != "repeal" and announces and (not content or _opens_unclosed_quote(content))
    return instruction, follows


def parse_article(body: str, source: str = "") -> AmendmentText:
    """The instructions in the body of one article of an amending document (``source`` names that article)."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    out: list[Instruction] = []
    unparsed: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        numbering = _NUMBERING.match(line)
        where = f"{_clause_label(numbering.group())} {source}".strip() if numbering and source else source
        if not is_instruction(line):
            continue
        sentences = _split_sentences(_NUMBERING.sub("", line))
        for n, sentence in enumerate(sentences):
            instruction, follows = _sentence(sentence, where)
            if instruction is None:
                continue
            if not instruction.targets:
                unparsed.append(sentence)
                continue
            if follows and n == len(sentences) - 1:
                collected, i = _following_text(lines, i, instruction.new_text)
                instruction = _with_text(instruction, collected)
            out.append(instruction)
    return AmendmentText(tuple(out), tuple(unparsed))


def _clause_label(numbering: str) -> str:
    mark = numbering.strip()
    return f"khoản {mark[:-1]}" if mark.endswith(".") else f"điểm {mark[:-1]}"


def _following_text(lines: Sequence[str], i: int, started: str) -> tuple[str, int]:
    """The new text announced by "như sau:": a quotation (to its closing mark) or the lines up to the next
    instruction."""
    collected = [started] if started else []
    quoted = bool(started) or (i < len(lines) and lines[i][0] in _OPEN_QUOTES)
    if quoted and started and _ends_quote(started):
        return started, i
    while i < len(lines):
        line = lines[i]
        if not quoted and is_instruction(line):
            break
        collected.append(line)
        i += 1
        if quoted and _ends_quote(line) and (len(collected) > 1 or len(line) > 1):
            break
    return "\n".join(collected), i


def _with_text(instruction: Instruction, text: str) -> Instruction:
    text = text.strip()
    if text and text[0] in _OPEN_QUOTES:
        text = text[1:]
    stripped = text.rstrip().rstrip(".;") if text.rstrip().rstrip(".;")[-1:] in _CLOSE_QUOTES else text
    if stripped[-1:] in _CLOSE_QUOTES:
        text = stripped[:-1]
    return Instruction(
        instruction.action,
        instruction.targets,
        instruction.text,
        text.strip(),
        instruction.old_phrase,
        instruction.new_phrase,
        instruction.after,
        instruction.source,
    )


def parse_amendments(articles: Sequence[tuple[str, str, str]]) -> AmendmentText:
    """Instructions of an amending document given as its articles ``(label, heading, body)``: each body is read,
    and a heading alone when its body is empty ("Điều 3. Bãi bỏ Điều 9 của Quy định …")."""
    instructions: list[Instruction] = []
    unparsed: list[str] = []
    for label, heading, body in articles:
        parsed = parse_article(body if body.strip() else heading, label)
        instructions.extend(parsed.instructions)
        unparsed.extend(parsed.unparsed)
    return AmendmentText(tuple(instructions), tuple(unparsed))

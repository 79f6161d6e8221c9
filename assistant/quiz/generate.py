"""Items built from facts without a language model: multiple choice, true/false, fill-in-the-blank and matching.

A stem is the clause's own sentence with the asked value replaced in place by a question word ("chậm nhất bao lâu
trước ngày chứng thư hết hạn…?"), after "Theo khoản 2 mục II Hướng dẫn số 12/HD-STTTT, ". Wrong options come from
:mod:`assistant.quiz.distractors`; every item quotes its clause in the explanation and cites it in ``sources``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from collections.abc import Iterable, Sequence

from assistant.quiz.distractors import clause_id, pick_distractors, stated_in
from assistant.quiz.facts import fact_key, find_values, unit_of
from assistant.quiz.model import Difficulty, Fact, FactKind, ItemKind, MatchPair, QuizItem, SourceRef
from assistant.quiz.spelling import answer_spellings
from assistant.text.normalize import fold_diacritics
from assistant.text.pos import ends_with_noun, leading_noun_phrase, opens_with_predicate

__all__ = [
    "ASKABLE", "LIST_TITLES", "NOT_CURRENT", "askable", "blank_stem", "fill_blank", "generate_items", "item_id",
    "matching", "multiple_choice", "question_stem", "reference", "spellings", "statement", "true_false",
]  # fmt: skip

ASKABLE = (FactKind.AMOUNT, FactKind.DURATION, FactKind.DATE, FactKind.COUNT, FactKind.AGENCY)
NOT_CURRENT = "source_not_current"
TRUE, FALSE = "Đúng", "Sai"
_LABEL = re.compile(r"^([^:;.\d]{2,80}?):\s+(?=\S)")
_KEEP_CAPITAL = frozenset(
    "Ủy Uỷ Hội Quy Nghị Luật Quyết Thông Kế Hướng Chính Trung Ban Bộ Cổng Hệ Nhà Đảng Trưởng Chánh Giám".split()
)
_MAX_WORDS = 45
_MIN_WORDS = 6


_ISSUING_TYPES = {"QĐ": "Quyết định", "NQ": "Nghị quyết", "TT": "Thông tư", "NĐ": "Nghị định"}
_NUMBER_TYPE = re.compile(r"(?:^|/)(QĐ|NQ|TT|NĐ)-")


_LOCAL_ISSUER = re.compile(
    r"\b((?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND) (?:xã|phường|thị trấn|huyện) [A-ZĐ]\w*(?: [A-ZĐ]\w*)?)"
)


def _document(source: SourceRef) -> str:
    """ "Hướng dẫn số 12/HD-STTTT"; an instrument issued with a decision is named as such: "Quy chế ban hành kèm
    theo Quyết định số 35/2025/QĐ-UBND"; a commune's decision names the commune ("Quyết định số 45/QĐ-UBND của
    Ủy ban nhân dân xã Chi Lăng"), since its number alone reads as the province's."""
    if not (source.number and source.doc_type):
        return source.title
    issuing = _NUMBER_TYPE.search(source.number)
    kind = _ISSUING_TYPES.get(issuing.group(1), "") if issuing else ""
    local = _LOCAL_ISSUER.search(source.title)
    of = f" của {local.group(1)}" if local else ""
    if kind and kind.casefold() != source.doc_type.casefold():
        return f"{source.doc_type} ban hành kèm theo {kind} số {source.number}{of}"
    return f"{source.doc_type} số {source.number}{of}"


_PROCEDURES = re.compile(
    r"\b(?:thủ tục hành chính (?:(?:trong )?lĩnh vực |về )?|(?:hồ sơ, )?trình tự (?=cấp ))"
    r"(?P<what>.+?)(?= thuộc thẩm quyền| tại | trên địa bàn|\s*\(|$)"
)


def reference(source: SourceRef, title: str = "") -> str:
    """ "khoản 2 mục II Hướng dẫn số 12/HD-STTTT": the path and the document, for stems; an article's ``title``
    goes with its path ("khoản 2 Điều 6 (về thời hạn giải quyết khiếu nại lần đầu) …"); a decision publishing
    procedures also names them ("(thủ tục cấp giấy phép hoạt động đối với phòng khám)"), as its articles often do
    not."""
    document = _document(source)
    procedures = _PROCEDURES.search(source.title)
    if procedures is not None:
        document += f" (thủ tục {procedures.group('what').strip()})"
    path = source.path.split(" — ")[0].strip()
    if title and path.startswith(("khoản", "điểm", "Điều")):
        path += f" (về {_lower_first(title)})"
    return f"{path} {document}".strip() if path and "›" not in path else document


def _lower_first(text: str) -> str:
    words = text.split(maxsplit=2)
    if not words or words[0] in _KEEP_CAPITAL or words[0].isupper() and len(words[0]) > 1:
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[0].lower() + text[1:]


def _question_word(fact: Fact) -> str:
    folded = fold_diacritics(fact.value)
    if fact.kind is FactKind.DURATION:
        return "trong thời hạn nào" if folded.startswith("trong") else "bao lâu"
    if fact.kind is FactKind.AMOUNT:
        return "bao nhiêu phần trăm" if folded.endswith("%") else "bao nhiêu tiền"
    if fact.kind is FactKind.DATE:
        if folded.startswith("ngay") or folded[:1].isdigit():
            return "ngày nào"
        return {"nam": "năm nào", "quy": "quý nào"}.get(folded[:3].strip(), "thời điểm nào")
    if fact.kind is FactKind.COUNT:
        first, _, noun = fact.value.partition(" ")
        return f"{'bao nhiêu' if first[:1].isdigit() else 'mấy'} {noun}"
    return "ai" if unit_of(fact.kind, fact.value) == "person" else "cơ quan nào"


def _parts(fact: Fact) -> tuple[str, str] | None:
    """(lead label, body holding the value) of the fact's sentence, trailing punctuation dropped; the label of a
    later part of a clause is the clause's lead-in ("Tầm nhìn đến năm 2045"), so no qualifier is lost. None when
    the sentence is too long, quotes residue of an amendment, or names no subject and none can be carried over."""
    sentence = fact.sentence.rstrip(" .;:,")
    label_match = _LABEL.match(sentence)
    label, body = fact.lead, sentence
    if label_match and len(label_match.group(1).split()) <= 12 and fact.value in sentence[label_match.end() :]:
        label, body = label_match.group(1).strip(), _LIST_MARKER.sub("", sentence[label_match.end() :])
    colon = _list_colon(body, fact.value)
    if colon > 0:  # "công bố 03 thủ tục …: (1) Cấp …": what follows lists, the question ends before it
        if fact.kind is not FactKind.COUNT:
            return None  # "Tầm nhìn đến năm 2045: …" is a heading of what follows, no statement of its own
        body = body[:colon].rstrip(" ,")
    if fact.value not in body or len(body.split()) > _MAX_WORDS or _QUOTE_MARK.search(body):
        return None
    if len(f"{label} {body}".split()) < _MIN_WORDS:
        return None  # "Thời hạn: 05 ngày" says too little to judge
    if body.count("(") != body.count(")"):
        return None  # "30 ngày (vùng sâu, vùng xa" would drop the exception
    if _UNRESOLVED.search(body):
        return None  # "các quyết định này", "khoản 1, 2 và 3 Điều này": what they point at is not in the stem
    if label and body.startswith(fact.value) and not _predicate_follows(body[len(fact.value) :]):
        return None  # "Nơi nộp: Trung tâm … nơi xây dựng nhà ở" says nothing the value does
    if not _measured(fact, label, body):
        return None  # "về cấp giấy chứng nhận: bao lâu?" does not say what lasts that long
    if opens_with_predicate(body) or _duties_agent(fact, body):
        agent = _agent(fact, label)
        if agent is None:
            return None
        body = f"{agent} {_lower_first(body)}" if agent else body
    elif fact.opening and not label:
        return None  # a later part whose scope the opening sets ("…cấp III, cấp IV…; hồ sơ nộp tại …")
    return label, body


def _list_colon(body: str, value: str) -> int:
    """Where a ":" after ``value`` and outside brackets starts a list; -1 when there is none."""
    start = body.find(value)
    if start < 0:
        return -1
    depth = 0
    for i in range(start + len(value), len(body)):
        depth += {"(": 1, ")": -1}.get(body[i], 0)
        if body[i] == ":" and depth == 0:
            return i
    return -1


def _predicate_follows(rest: str) -> bool:
    """Whether the words after a value that opens a sentence say what it does ("… thẩm định hồ sơ"): nothing, or a
    verb first."""
    rest = rest.strip(" ,.;")
    return not rest or opens_with_predicate(rest)


_LIST_MARKER = re.compile(r"^(?:[a-zđ]\)|\d{1,2}\.|[-–+])\s+")
_UNRESOLVED = re.compile(
    r"\b(?:Điều này|khoản này|các (?:quyết định|văn bản|trường hợp|nội dung|thủ tục) (?:này|nêu trên|trên)|nêu trên"
    r"|trên đây)\b"
)
_QUOTE_MARK = re.compile(r"[\"“”«»]")
_DUTIES_OF = re.compile(
    r"^(?:Nhiệm vụ|Quyền hạn|Trách nhiệm|Quyền|Nghĩa vụ)"
    r"(?:(?:,| và) (?:nhiệm vụ|quyền hạn|trách nhiệm|quyền|nghĩa vụ))*"
    r" (?:của|đối với) (?P<agent>.+)$"
)
# Titles of lists that name things without saying anything of them (the "Đối tượng áp dụng" of a quy chế): an
# item of such a list is no statement a learner can judge.
LIST_TITLES = re.compile(
    r"\b(?:doi tuong ap dung|pham vi dieu chinh|giai thich tu ngu|thanh phan(?:, so luong)? ho so)"
)


def _duties_agent(fact: Fact, text: str) -> str:
    """X of a clause under "Nhiệm vụ, quyền hạn của X" when ``text`` does not name X ("Lãnh đạo, điều hành Đoàn
    thanh tra …", which the tagger may read as opening with a noun): the duty is X's, so X is its subject."""
    titled = _DUTIES_OF.match(fact.title.strip())
    if titled is None or fold_diacritics(titled.group("agent")) in fold_diacritics(text):
        return ""
    return titled.group("agent").strip()


def _agent(fact: Fact, label: str) -> str | None:
    """Who a bare predicate ("Chịu trách nhiệm trước …") is said of: "" when a label frames it already, the
    agent of a duties title ("Nhiệm vụ, quyền hạn của Trưởng đoàn"), or the subject of the clause's opening
    sentence; None when there is none."""
    if label:  # "về tầm nhìn đến năm 2045: quy mô …", "về nhiệm vụ của Sở: chủ trì …" say what it is of
        return ""
    return _duties_agent(fact, fact.sentence) or (leading_noun_phrase(fact.opening) or None if fact.opening else None)


# Words after an agency that make it part of a longer name ("Chủ tịch UBND các cấp", "Thanh tra tỉnh Lạng Sơn"),
# words before it that make it the complement of another head ("Văn phòng Thanh tra tỉnh", "thành viên Đoàn …").
_LONGER_NAME_AFTER = re.compile(r"^\s*(?:cac|cap|tinh|huyen|xa|phuong|thi tran|thanh pho)\b")
_HEAD_BEFORE = re.compile(
    r"\b(?:van phong|chu tich|giam doc|lanh dao|thu truong|truong|pho|can bo|cong chuc|thanh vien|dai dien|to chuc"
    r"|bo phan|phong|ban|co quan)\s*$"
)
_COORDINATED = re.compile(r"^\s*(?:,|va\b|hoac\b)|(?:,|\bva|\bhoac)\s*$|\d\s*%\s*(?:cac\s*)?$")
# What a time limit or an amount is of must be said before the value: "thời hạn …", "lệ phí …", "chậm nhất …".
_MEASURE_CUE = {
    FactKind.DURATION: re.compile(
        r"\b(?:thoi han|thoi gian|trong|cham nhat|khong qua|toi da|toi thieu|it nhat|hieu luc|ke tu|sau|truoc|han"
        r"|thuc hanh|tap su|moi|lien tuc|duy tri|luu tru|bao quan)\b"
    ),
    FactKind.AMOUNT: re.compile(r"\b(?:le phi|phi|muc|gia|kinh phi|tien|muc thu|ho tro|dong gop|dat|chiem|ty le)\b"),
}


def _embedded(fact: Fact) -> bool:
    """Whether an agency is only part of a longer name, the complement of another head, or one of several named
    together: asking "cơ quan nào" of it would be ambiguous."""
    if fact.kind is not FactKind.AGENCY:
        return False
    written, _, after = fact.sentence.partition(fact.value)
    before, after = fold_diacritics(written).lower(), fold_diacritics(after).lower()
    return bool(_LONGER_NAME_AFTER.search(after) or _HEAD_BEFORE.search(before) or
                _COORDINATED.search(after[:4]) or _COORDINATED.search(before[-6:]) or
                bool(written.strip()) and ends_with_noun(written[-40:]))  # fmt: skip


def _measured(fact: Fact, label: str, body: str) -> bool:
    """Whether the words before a time limit or an amount say what it measures (the title and label count)."""
    cue = _MEASURE_CUE.get(fact.kind)
    if cue is None:
        return True
    before = f"{fact.title} {label} {body.split(fact.value, 1)[0]}"
    return bool(cue.search(fold_diacritics(before).lower()))


def askable(fact: Fact) -> bool:
    """Whether a question or statement may be made of ``fact``: not of an item of a list such as the "Đối tượng áp
    dụng", nor of an agency that is part of a longer name or one of several; a fill-in quote always may."""
    return not (LIST_TITLES.search(fold_diacritics(f"{fact.title} {fact.lead}").lower()) or _embedded(fact))


def _framed(fact: Fact, label: str, body: str) -> str:
    title = fact.title if 1 <= len(fact.title.split()) <= 12 and not _DUTIES_OF.match(fact.title) else ""
    if title and fold_diacritics(title) in fold_diacritics(f"{label} {body} {fact.source.title}"):
        title = ""  # "Gia hạn: …" under the heading "Gia hạn" says it already; a duties title gave the subject
    lead = f"Theo {reference(fact.source, title)}, "
    if label:
        lead += f"về {_lower_first(label)}: "
    return lead + _lower_first(body)


def question_stem(fact: Fact) -> str | None:
    """The clause's sentence asked back in place; None when it cannot be asked cleanly."""
    parts = _parts(fact) if fact.kind in ASKABLE and askable(fact) else None
    if parts is None:
        return None
    label, body = parts
    asked = body.replace(fact.value, _question_word(fact), 1).replace(" nào nào", " nào")  # "bất kỳ … nào"
    asked = re.sub(r"^(\w+(?: \w+)?):\s", r"\1 ", asked) if body.startswith(fact.value) else asked
    if stated_in(fact.kind, fact.value, asked):
        return None  # the sentence states the value twice: asking it would give it away
    return _framed(fact, label, asked) + "?"


def statement(fact: Fact, value: str) -> str | None:
    """The fact's sentence as a true/false statement, stating ``value`` in place of the fact's own."""
    parts = _parts(fact) if askable(fact) else None
    if parts is None:
        return None
    label, body = parts
    return _framed(fact, label, body.replace(fact.value, value, 1)) + ". Đúng hay sai?"


_BLANK_HINT = {
    FactKind.AMOUNT: "một số tiền hoặc tỷ lệ",
    FactKind.DURATION: "một thời hạn",
    FactKind.DATE: "một ngày, tháng, quý hoặc năm",
    FactKind.COUNT: "một con số",
}


def blank_stem(fact: Fact) -> str | None:
    """The fact's sentence, framed like a question's (subject, lead-in), with the value blanked out and what kind of
    phrase fills the blank; None when it cannot be asked cleanly: no subject, a list member, a number opening the
    sentence ("___ chưa đạt …" does not say a number is wanted), the value stated elsewhere in the sentence, or a
    body or person ("Chánh Thanh tra tỉnh", "người ra quyết định thanh tra", "Chánh Thanh tra" are all right: a
    typed name cannot be graded fairly, so bodies are asked with options)."""
    # a body has too many right names to type, and so has a time said in words ("trong ngày", "ngay trong ngày")
    typed = fact.kind in ASKABLE and fact.kind is not FactKind.AGENCY and any(c.isdigit() for c in fact.key)
    parts = _parts(fact) if typed and askable(fact) and not _listed(fact) else None
    if parts is None:
        return None
    label, body = parts
    before = body.split(fact.value, 1)[0].rstrip()
    if not label and (not before or before.endswith(":")):
        return None  # "___ chưa đạt …" does not say a number is wanted
    noun = fact.value.partition(" ")[2]
    blank = f"___ {noun}" if fact.kind is FactKind.COUNT and noun else "___"  # "có ít nhất ___ doanh nghiệp"
    blanked = body.replace(fact.value, blank, 1)
    if stated_in(fact.kind, fact.value, blanked.replace("___", " ")):
        return None  # "___ và 100% UBND cấp xã": the rest of the sentence gives the answer away
    return f"{_framed(fact, label, blanked)}. Điền vào chỗ trống ({_BLANK_HINT[fact.kind]}):"


def _listed(fact: Fact) -> bool:
    """Whether the value is one of several of its kind named together ("05 ngày, 10 ngày và ___"): another member
    would fill the blank as well. Agencies are held to the stricter :func:`askable`."""
    before, _, after = fact.sentence.partition(fact.value)
    tail = re.search(r"(?:,|\bvà|\bhoặc)\s*$", before)
    if tail is not None:
        prior = before[: tail.start()].rstrip()
        found = find_values(prior[-80:])
        if found and found[-1][0] is fact.kind and prior.endswith(found[-1][1]):
            return True
    head = re.match(r"\s*(?:,|và\b|hoặc\b)\s*", after)
    if head is not None:
        rest = after[head.end() :]
        found = find_values(rest[:80])
        return bool(found) and found[0][0] is fact.kind and rest.startswith(found[0][1])
    return False


def spellings(value: str) -> tuple[str, ...]:
    """Accepted answers: as written, without or with leading zeros ("03 ngày" / "3 ngày"), without thousands dots,
    a number in words in digits, administrative names abbreviated or written out (see :mod:`.spelling`)."""
    return answer_spellings(value)


def _quote(source: SourceRef, fact: Fact | None = None) -> str:
    text = source.text if len(source.text.split()) <= 70 else (fact.sentence if fact else source.text)
    return f"Căn cứ {source.citation}: «{text}»"


def item_id(kind: ItemKind, stem: str, sources: Iterable[SourceRef], extra: Iterable[str] = ()) -> str:
    """A stable id: a hash of the kind, the stem, the cited clauses and the options."""
    parts = [kind.value, stem, *(f"{s.chunk_id}|{s.path}" for s in sources), *extra]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _new(
    kind: ItemKind,
    stem: str,
    explanation: str,
    sources: tuple[SourceRef, ...],
    fact_kind: FactKind,
    *,
    difficulty: Difficulty = Difficulty.RECALL,
    options: tuple[str, ...] = (),
    correct: tuple[int, ...] = (),
    answers: tuple[str, ...] = (),
    pairs: tuple[MatchPair, ...] = (),
) -> QuizItem:
    extra = [*options, *answers, *(f"{p.left}={p.right}" for p in pairs)]
    return QuizItem(
        item_id=item_id(kind, stem, sources, extra),
        kind=kind,
        stem=stem,
        explanation=explanation,
        sources=sources,
        fact_kind=fact_kind,
        difficulty=difficulty,
        options=options,
        correct=correct,
        answers=answers,
        pairs=pairs,
    )


# --- the four kinds --------------------------------------------------------------------------------------------


def multiple_choice(
    fact: Fact, pool: Sequence[Fact], rng: random.Random, difficulty: Difficulty, related: frozenset[str]
) -> QuizItem | None:
    """Four options, one right: the fact, and three same-kind facts of other clauses."""
    if fact.kind is FactKind.STEP:
        return _step_choice(fact, pool, rng)
    stem = question_stem(fact)
    wrong = pick_distractors(fact, pool, 3, rng, difficulty=difficulty, related=related) if stem else []
    if stem is None or len(wrong) < 3:
        return None
    options = [fact.value, *(w.value for w in wrong)]
    rng.shuffle(options)
    explanation = f"Đáp án đúng: {fact.value}. {_quote(fact.source, fact)}."
    return _new(
        ItemKind.MULTIPLE_CHOICE,
        stem,
        explanation,
        (fact.source,),
        fact.kind,
        difficulty=difficulty,
        options=tuple(options),
        correct=(options.index(fact.value),),
    )


def _step_choice(fact: Fact, pool: Sequence[Fact], rng: random.Random) -> QuizItem | None:
    """ "… bước 2 là gì?" with the other steps of the same procedure as wrong options."""
    number = re.search(r"khoản (\d+)", fact.source.path)
    wrong = pick_distractors(fact, pool, 3, rng, difficulty=Difficulty.DISCRIMINATE)
    if number is None or len(wrong) < 3:
        return None
    procedure = fact.subject.split(" — ")[0]
    where = re.sub(r"^khoản \d+ ", "", reference(fact.source))
    stem = f"Theo {where} ({_lower_first(procedure)}), bước {number.group(1)} là gì?"
    options = [fact.value, *(w.value for w in wrong)]
    rng.shuffle(options)
    explanation = f"Đáp án đúng: {fact.value}. {_quote(fact.source, fact)}."
    return _new(
        ItemKind.MULTIPLE_CHOICE,
        stem,
        explanation,
        (fact.source,),
        fact.kind,
        difficulty=Difficulty.DISCRIMINATE,
        options=tuple(options),
        correct=(options.index(fact.value),),
    )


def true_false(
    fact: Fact, pool: Sequence[Fact], rng: random.Random, difficulty: Difficulty, related: frozenset[str], truth: bool
) -> QuizItem | None:
    """The clause's statement as written (true) or with its value replaced by another clause's (false)."""
    if fact.kind not in ASKABLE or fact.kind is FactKind.AGENCY or _has_exception(fact):
        return None  # another body "is responsible" may well be true too; an exception makes the rule arguable
    if not truth and _bounded(fact):
        return None  # "không quá 45 ngày" follows from "không quá 30 ngày": a changed bound may still be true
    wrong: list[Fact] = []
    if not truth:
        said = {f.key for f in pool if f.kind is fact.kind and f.source.doc_id == fact.source.doc_id}
        candidates = pick_distractors(fact, pool, 4, rng, difficulty=difficulty, related=related)
        wrong = [w for w in candidates if w.key not in said][:1]  # a value its document states elsewhere may be true
        if not wrong:
            return None
    stem = statement(fact, fact.value if truth else wrong[0].value)
    if stem is None:
        return None
    if truth:
        explanation = f"Đúng. {_quote(fact.source, fact)}."
    else:
        explanation = f"Sai: văn bản quy định {fact.value}, không phải {wrong[0].value}. {_quote(fact.source, fact)}."
    return _new(
        ItemKind.TRUE_FALSE,
        stem,
        explanation,
        (fact.source,),
        fact.kind,
        difficulty=difficulty,
        options=(TRUE, FALSE),
        correct=(0 if truth else 1,),
    )


_BOUND_BEFORE = re.compile(r"\b(?:toi thieu|it nhat|khong qua|toi da|cham nhat|duoi|tren|hon|khong duoi)\s*$")
_BOUND_AFTER = re.compile(r"^\s*(?:tro len|tro xuong|tro ve truoc|tro ve sau)\b")


def _bounded(fact: Fact) -> bool:
    """Whether the value is a bound ("không quá 30 ngày", "từ 10 người trở lên") rather than an exact figure."""
    before, _, after = fact.sentence.partition(fact.value)
    return bool(_BOUND_BEFORE.search(fold_diacritics(before).lower()) or
                _BOUND_AFTER.match(fold_diacritics(after).lower()))  # fmt: skip


_EXCEPTION = re.compile(r"\b(?:truong hop|tru |ngoai tru|rieng doi voi)")


def _has_exception(fact: Fact) -> bool:
    """Whether the clause states another value of the fact's kind under an exception ("không quá 45 ngày; trường
    hợp phức tạp không quá 70 ngày"), so the fact alone is no rule a statement may assert."""
    clause = fact.source.text
    if not _EXCEPTION.search(fold_diacritics(clause).lower()):
        return False
    return any(kind is fact.kind and fact_key(kind, value) != fact.key for kind, value in find_values(clause))


def fill_blank(fact: Fact) -> QuizItem | None:
    """The clause's sentence with the value blanked out (:func:`blank_stem`); the value's spellings are accepted."""
    stem = blank_stem(fact)
    if stem is None:
        return None
    explanation = f"Đáp án: {fact.value}. {_quote(fact.source, fact)}."
    answers = spellings(fact.value)
    if fact.kind is FactKind.COUNT:  # the counted noun stays in the stem: the number alone answers ("1", "một")
        number = fact.key.split(" ", 1)[0]
        answers += tuple(a for a in (*spellings(fact.value.split(" ", 1)[0]), number) if a not in answers)
    return _new(ItemKind.FILL_BLANK, stem, explanation, (fact.source,), fact.kind, answers=answers)


# Only time limits are matched: "what ↔ who is responsible" pairs drew bare headings ("Căn cứ pháp lý") and
# bodies named in passing, not the body that acts.
_MATCH_RIGHT = {FactKind.DURATION: "thời hạn"}
_NOT_A_MATTER = re.compile(r"^(?:can cu|co so phap ly|noi nhan)\b|^(?:trong )?(?:thoi han|thoi gian|vong)$")


_LABELLED_LIMIT = re.compile(
    r"^(?P<label>[^:;.\d]{3,80}?):\s+(?:trong(?: thời hạn| vòng)? |không quá |tối đa )?(?P<rest>.*)$"
)
# What follows a processing time; a lead time ("… trước ngày hết hạn"), a validity ("thời hạn của giấy phép") or a
# retention is no time a procedure takes.
_NOT_PROCESSING = re.compile(r"\btruoc\b|\bhieu luc\b|\bluu tru\b|\bthoi han cua\b|\btoi thieu\b|\bsau khi\b")


def _processing_time(fact: Fact) -> bool:
    """Whether a time limit is what a named procedure takes, written "Gia hạn giấy phép: 05 ngày làm việc (kể từ
    ngày nhận đủ hồ sơ)": a label of at least two words that is no list heading, the value right after it."""
    labelled = _LABELLED_LIMIT.match(fact.sentence.strip())
    if labelled is None or fact.subject != labelled.group("label").strip() or len(fact.subject.split()) < 2:
        return False
    rest = labelled.group("rest")
    return rest.startswith(fact.value) and not _NOT_PROCESSING.search(fold_diacritics(f"{fact.subject} {rest}"))


def _cut_short(subject: str) -> bool:
    """Whether a subject was cut mid-phrase ("… để giải trình (nếu"): an open bracket or a dangling word."""
    return subject.count("(") != subject.count(")") or bool(_DANGLING_WORD.search(subject))


_DANGLING_WORD = re.compile(r"\s(?:nếu|và|hoặc|của|cho|tại|với|về|theo|để|do|các|những|khi|thì)$", re.IGNORECASE)


def matching(facts: Sequence[Fact], rng: random.Random, size: int = 4) -> QuizItem | None:
    """3–5 pairs "what ↔ its time limit" from different clauses of one document."""
    chosen: list[Fact] = []
    shuffled = list(facts)
    rng.shuffle(shuffled)
    for fact in shuffled:
        left = fold_diacritics(fact.subject)
        if not _processing_time(fact) or _NOT_A_MATTER.match(left.lower()) or _cut_short(fact.subject):
            continue
        if any(
            clause_id(fact) == clause_id(other)
            or fold_diacritics(other.subject) == left
            or stated_in(fact.kind, other.value, fact.source.text)
            or stated_in(fact.kind, fact.value, other.source.text)
            for other in chosen
        ):
            continue
        chosen.append(fact)
        if len(chosen) == size:
            break
    if len(chosen) < 3:
        return None
    first = chosen[0]
    document = reference(dataclasses.replace(first.source, path=""))
    stem = f"Theo {document}, hãy nối mỗi nội dung ở cột trái với {_MATCH_RIGHT[first.kind]} tương ứng ở cột phải:"
    pairs = tuple(MatchPair(f.subject, f.value, f.source) for f in chosen)
    explanation = " ".join(f"{f.subject} — {f.value}. {_quote(f.source, f)}." for f in chosen)
    sources = tuple(dict.fromkeys(f.source for f in chosen))
    return _new(
        ItemKind.MATCHING, stem, explanation, sources, first.kind, difficulty=Difficulty.DISCRIMINATE, pairs=pairs
    )


# --- a bank's worth ---------------------------------------------------------------------------------------------


def _one(
    kind: ItemKind,
    fact: Fact,
    pool: Sequence[Fact],
    rng: random.Random,
    level: Difficulty,
    related: frozenset[str],
    truth: bool,
) -> QuizItem | None:
    if kind is ItemKind.MULTIPLE_CHOICE:
        return multiple_choice(fact, pool, rng, level, related)
    if kind is ItemKind.TRUE_FALSE:
        return true_false(fact, pool, rng, level, related, truth=truth)
    if kind is ItemKind.FILL_BLANK:
        return fill_blank(fact)
    return None


def generate_items(
    answers: Sequence[Fact],
    pool: Sequence[Fact],
    *,
    kinds: Sequence[ItemKind] = tuple(ItemKind),
    difficulty: Difficulty | None = None,
    seed: int = 0,
    topic: str = "",
    not_current: frozenset[str] = frozenset(),
    related: frozenset[str] = frozenset(),
    limit: int = 1000,
) -> list[QuizItem]:
    """Items whose right answers are ``answers`` and whose wrong options come from ``pool``: each clause asked at
    most once, the kinds interleaved, both difficulties when ``difficulty`` is None; the same for the same seed.
    Items citing a document of ``not_current`` carry the flag "source_not_current"."""
    rng = random.Random(seed)
    order = sorted(answers, key=lambda f: (f.source.doc_id, f.source.chunk_id, f.source.path, f.kind, f.key))
    rng.shuffle(order)
    single = [kind for kind in kinds if kind is not ItemKind.MATCHING]
    made = dict.fromkeys(single, 0)
    items: list[QuizItem] = []
    asked: set[tuple[str, str]] = set()
    verdicts = {True: 0, False: 0}  # true/false items: as many "Sai" as "Đúng", or "Đúng" always scores
    for fact in order:
        if len(items) >= limit:
            break
        if clause_id(fact) in asked:
            continue  # one item per clause: a second reads as a near-copy of the first
        levels = [difficulty] if difficulty else rng.sample(list(Difficulty), 2)
        truth = verdicts[True] < verdicts[False] or (verdicts[True] == verdicts[False] and rng.random() < 0.5)
        for kind in sorted(single, key=lambda k: (made[k], single.index(k))):
            item = next((i for level in levels if (i := _one(kind, fact, pool, rng, level, related, truth))), None)
            if item is not None:
                items.append(item)
                asked.add(clause_id(fact))
                made[kind] += 1
                if kind is ItemKind.TRUE_FALSE:
                    verdicts[truth] += 1
                break
    if ItemKind.MATCHING in kinds and difficulty in (None, Difficulty.DISCRIMINATE):
        groups: dict[tuple[str, FactKind], list[Fact]] = {}
        for fact in order:
            if fact.kind in _MATCH_RIGHT:
                groups.setdefault((fact.source.doc_id, fact.kind), []).append(fact)
        matched = [m for _, group in sorted(groups.items()) if (m := matching(group, rng)) is not None]
        step = max(1, len(items) // (len(matched) + 1))
        for n, item in enumerate(matched):
            items.insert(min(len(items), (n + 1) * step + n), item)
    return [_finish(item, topic, not_current) for item in items[:limit]]


def _finish(item: QuizItem, topic: str, not_current: frozenset[str]) -> QuizItem:
    flags = (NOT_CURRENT,) if any(s.doc_id in not_current for s in item.sources) else ()
    return dataclasses.replace(item, topic=topic, flags=flags)

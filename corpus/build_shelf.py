"""Build the sample-corpus shelf from ``corpus/src``.

Each ``src/<doc_id>.txt`` (one paragraph per line) with its ``<doc_id>.meta.yaml`` is rendered into the format named
by the metadata key ``format`` (pdf, scan, docx, html, md) and written to ``<out>/<doc_id>.<ext>`` together with the
sidecar ``<out>/<doc_id>.<ext>.meta.yaml`` (the same metadata without ``format``). Output is deterministic.

Usage: ``python corpus/build_shelf.py [--out DIR]`` (default ``corpus/shelf``). Building from the default source
folder also refreshes the document table in ``corpus/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import logging
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import yaml
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger("build_shelf")

CORPUS_DIR = Path(__file__).resolve().parent
FONT_REGULAR = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
FIXED_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
EXTENSIONS = {"pdf": "pdf", "scan": "pdf", "docx": "docx", "html": "html", "md": "md"}
REQUIRED_KEYS = ("format", "id", "title", "number", "type", "issuer", "issued", "effective", "expires", "status",
                 "relations", "unit", "visibility", "language", "sample")
STATUSES = {"còn hiệu lực", "hết hiệu lực một phần", "hết hiệu lực toàn bộ", "chưa có hiệu lực"}
RELATION_TYPES = {"thay thế", "sửa đổi, bổ sung", "bãi bỏ", "hướng dẫn"}
# The document-type line ("QUYẾT ĐỊNH", "KẾ HOẠCH", ...) separates the formal header from the title.
TYPE_LINES = frozenset({
    "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "QUY CHẾ", "QUY ĐỊNH", "QUY TRÌNH", "KẾ HOẠCH", "HƯỚNG DẪN", "CHƯƠNG TRÌNH",
    "BÁO CÁO", "THÔNG BÁO", "ĐỀ ÁN", "PHƯƠNG ÁN", "CHỈ THỊ", "LUẬT", "NGHỊ ĐỊNH", "THÔNG TƯ", "TỜ TRÌNH",
    "GIẤY MỜI", "BRIEFING NOTE", "TRAINER GUIDE", "GUIDE", "OVERVIEW", "REPORT", "PLAN", "DECISION",
})
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CHAPTER = re.compile(r"^Chương\s+[IVXLC]+\b")
_ARTICLE = re.compile(r"^Điều\s+\d+[a-zđ]?\.")
_SECTION = re.compile(r"^[IVXLC]+\.\s")
HEADING_KINDS = {"type", "title", "chapter", "section", "article"}
# When a PDF line wraps, a continuation must not start like a heading ("Điều 16.", "2025.", "II."), or a
# text extractor would see a new article or item; such tokens are glued to the previous word with a no-break space.
_GLUE_REF = re.compile(r" (Điều|Chương) (\d+|[IVXLC]+)")
_GLUE_NUM = re.compile(r" ((?:\d+|[IVXLC]+|[a-zđ])[.)])(?=\s|$)")


@dataclass(frozen=True)
class Line:
    """One paragraph of a source text and its structural role."""

    text: str
    kind: str  # mark | header | type | title | subtitle | chapter | section | article | body


@dataclass(frozen=True)
class SourceDoc:
    """A source document: its id, metadata and classified lines."""

    doc_id: str
    meta: dict[str, Any]
    lines: list[Line]


def classify(texts: list[str]) -> list[Line]:
    """Label each line; a "Chương" line absorbs the upper-case chapter name that follows it."""
    type_at = next((i for i, t in enumerate(texts) if t in TYPE_LINES), None)
    # Without a type line (công văn) the header runs up to "Kính gửi".
    body_at = next((i for i, t in enumerate(texts) if t.startswith("Kính gửi")), 1) if type_at is None else 0
    out: list[Line] = []
    i = 0
    while i < len(texts):
        text = texts[i]
        if i == 0 and "TÀI LIỆU MẪU" in text:
            kind = "mark"
        elif (type_at is not None and i < type_at) or (type_at is None and i < body_at):
            kind = "header"
        elif i == type_at:
            kind = "type"
        elif type_at is not None and i == type_at + 1:
            kind = "title"
        elif type_at is not None and i == type_at + 2 and text.startswith("("):
            kind = "subtitle"  # "(Ban hành kèm theo Quyết định số ...)"
        elif _CHAPTER.match(text):
            kind = "chapter"
            nxt = texts[i + 1] if i + 1 < len(texts) else ""
            if nxt and nxt == nxt.upper() and not _SECTION.match(nxt) and not _ARTICLE.match(nxt):
                text, i = f"{text}. {nxt}", i + 1
        elif _ARTICLE.match(text):
            kind = "article"
        elif _SECTION.match(text):
            kind = "section"
        else:
            kind = "body"
        out.append(Line(text, kind))
        i += 1
    return out


def load_source(txt: Path) -> SourceDoc:
    """Read and validate one source document; raise ValueError with the reason if it is malformed."""
    meta_path = txt.with_suffix(".meta.yaml")
    if not meta_path.exists():
        raise ValueError(f"{txt.name}: missing {meta_path.name}")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ValueError(f"{meta_path.name}: missing keys {missing}")
    if meta["id"] != txt.stem or not _ID.match(meta["id"]):
        raise ValueError(f"{meta_path.name}: id {meta['id']!r} must equal the file stem and match {_ID.pattern}")
    if meta["format"] not in EXTENSIONS:
        raise ValueError(f"{meta_path.name}: format {meta['format']!r} not in {sorted(EXTENSIONS)}")
    if meta["status"] not in STATUSES:
        raise ValueError(f"{meta_path.name}: status {meta['status']!r} not in {sorted(STATUSES)}")
    for rel in meta["relations"] or []:
        if rel.get("type") not in RELATION_TYPES or not rel.get("target"):
            raise ValueError(f"{meta_path.name}: bad relation {rel!r}")
    raw = txt.read_text(encoding="utf-8")
    if unicodedata.normalize("NFC", raw) != raw:
        log.warning("%s is not NFC; normalising", txt.name)
    texts = [t.strip() for t in unicodedata.normalize("NFC", raw).splitlines() if t.strip()]
    return SourceDoc(meta["id"], meta, classify(texts))


def keep_together(text: str) -> str:
    """Glue heading-like tokens inside a paragraph to the preceding word (no-break spaces)."""
    return _GLUE_NUM.sub("\u00a0\\1", _GLUE_REF.sub("\u00a0\\1\u00a0\\2", text))


def render_pdf(doc: SourceDoc, path: Path) -> None:
    """Text PDF (A4, DejaVu Sans, bold headings, centred header/type/title/chapters)."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(doc.meta["title"])
    pdf.set_author(doc.meta["issuer"])
    pdf.set_lang(doc.meta["language"])
    pdf.add_font("DejaVu", "", str(FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_margins(22, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for line in doc.lines:
        bold = line.kind in HEADING_KINDS or line.kind == "header"
        centred = line.kind in {"header", "type", "title", "subtitle", "chapter", "mark"}
        pdf.set_font("DejaVu", "B" if bold else "", 13 if line.kind == "type" else 11.5)
        pdf.set_text_color(110 if line.kind == "mark" else 0)
        if line.kind in {"chapter", "section", "article", "type"}:
            pdf.ln(2)
        pdf.multi_cell(0, 6, keep_together(line.text), align="C" if centred else "L", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    rows, current = [], ""
    for word in text.split(" "):
        trial = f"{current} {word}".strip()
        if font.getlength(trial) <= width or not current:
            current = trial
        else:
            rows.append(current)
            current = word
    return rows + [current] if current else rows


def render_scan(doc: SourceDoc, path: Path, dpi: int = 200) -> None:
    """Image-only PDF: text drawn on white A4 pages at ``dpi`` with light deterministic speckle noise."""
    size = (round(8.27 * dpi), round(11.69 * dpi))
    margin, px = round(0.8 * dpi), round(11.5 / 72 * dpi)
    regular, bold = ImageFont.truetype(str(FONT_REGULAR), px), ImageFont.truetype(str(FONT_BOLD), px)
    rng = zlib.crc32(doc.doc_id.encode())
    pages: list[Image.Image] = []
    page, draw, y = None, None, size[1]
    for line in doc.lines:
        font = bold if line.kind in HEADING_KINDS or line.kind == "header" else regular
        for row in _wrap(keep_together(line.text), font, size[0] - 2 * margin):
            if page is None or draw is None or y + px * 1.5 > size[1] - margin:
                page = Image.new("L", size, 255)
                draw, y = ImageDraw.Draw(page), margin
                pages.append(page)
            draw.text((margin, y), row, font=font, fill=20)
            y += round(px * 1.5)
    for img in pages:  # sparse grey specks, as on a photocopied page
        for _ in range(size[0] * size[1] // 2500):
            rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
            img.putpixel((rng % size[0], (rng // size[0]) % size[1]), 150 + rng % 80)
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi),
                  title=doc.meta["title"], creationDate=FIXED_DATE.timetuple(), modDate=FIXED_DATE.timetuple())


def render_docx(doc: SourceDoc, path: Path) -> None:
    """Word document: type line as Title, title/chapters/sections as Heading 1, articles as Heading 2."""
    document = docx.Document()
    core = document.core_properties
    core.title, core.author, core.language = doc.meta["title"], doc.meta["issuer"], doc.meta["language"]
    core.created = core.modified = FIXED_DATE.replace(tzinfo=None)
    core.last_modified_by, core.revision = "build_shelf", 1
    styles = {"type": "Title", "title": "Heading 1", "chapter": "Heading 1", "section": "Heading 1",
              "article": "Heading 2"}
    for line in doc.lines:
        document.add_paragraph(line.text, style=styles.get(line.kind, "Normal"))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():  # fixed timestamps so the bytes do not change between builds
            info = zipfile.ZipInfo(item.filename, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item))


def render_html(doc: SourceDoc, path: Path) -> None:
    """Standalone HTML5 page: <h1> title, <h2> chapters/sections, <h3> articles, <p> otherwise."""
    tags = {"title": "h1", "chapter": "h2", "section": "h2", "article": "h3"}
    classes = {"mark": "sample-mark", "header": "doc-header", "type": "doc-type", "subtitle": "doc-subtitle"}
    body = []
    for line in doc.lines:
        text = html.escape(line.text, quote=False)
        tag = tags.get(line.kind, "p")
        cls = f' class="{classes[line.kind]}"' if line.kind in classes else ""
        body.append(f"<{tag}{cls}>{text}</{tag}>")
    page = (f'<!DOCTYPE html>\n<html lang="{doc.meta["language"]}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(doc.meta['title'])}</title>\n"
            "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.5}"
            ".doc-header,.doc-type,.doc-subtitle,.sample-mark{text-align:center}.sample-mark{color:#666}</style>\n"
            "</head>\n<body>\n<article>\n" + "\n".join(body) + "\n</article>\n</body>\n</html>\n")
    path.write_text(page, encoding="utf-8")


def render_md(doc: SourceDoc, path: Path) -> None:
    """Markdown: # title, ## chapters/sections, ### articles, one paragraph per line."""
    prefixes = {"title": "# ", "chapter": "## ", "section": "## ", "article": "### "}
    blocks = [prefixes.get(line.kind, "") + line.text for line in doc.lines]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


RENDERERS = {"pdf": render_pdf, "scan": render_scan, "docx": render_docx, "html": render_html, "md": render_md}


def build(src_dir: Path, out_dir: Path) -> Counter[str]:
    """Render every source document into ``out_dir``; remove stale shelf files; return counts per format."""
    sources = [load_source(txt) for txt in sorted(src_dir.glob("*.txt"))]
    out_dir.mkdir(parents=True, exist_ok=True)
    produced: set[str] = set()
    counts: Counter[str] = Counter()
    for doc in sources:
        fmt = doc.meta["format"]
        target = out_dir / f"{doc.doc_id}.{EXTENSIONS[fmt]}"
        RENDERERS[fmt](doc, target)
        sidecar = {k: v for k, v in doc.meta.items() if k != "format"}
        meta_path = target.with_name(target.name + ".meta.yaml")
        meta_path.write_text(yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        produced |= {target.name, meta_path.name}
        counts[fmt] += 1
        log.info("built %s (%s)", target.name, fmt)
    for sidecar_path in sorted(out_dir.glob("*.meta.yaml")):  # only files an earlier build wrote
        if sidecar_path.name not in produced:
            for stale in (sidecar_path, out_dir / sidecar_path.name.removesuffix(".meta.yaml")):
                log.info("removing stale %s", stale.name)
                stale.unlink(missing_ok=True)
    return counts


def update_readme(src_dir: Path, readme: Path) -> None:
    """Rewrite the document table between the README markers so that it always lists what ``src`` holds."""
    start, end = "<!-- documents:start -->", "<!-- documents:end -->"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if start not in text or end not in text:
        return
    rows = ["| id | số hiệu | type | format | unit | visibility | status | lang |", "|" + "---|" * 8]
    for meta_path in sorted(src_dir.glob("*.meta.yaml")):
        m = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        rows.append(f"| {m['id']} | {m['number'] or '—'} | {m['type']} | {m['format']} | {m['unit']} "
                    f"| {m['visibility']} | {m['status']} | {m['language']} |")
    head, rest = text.split(start, 1)
    readme.write_text(f"{head}{start}\n" + "\n".join(rows) + f"\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--src", type=Path, default=CORPUS_DIR / "src", help="source folder (default corpus/src)")
    parser.add_argument("--out", type=Path, default=CORPUS_DIR / "shelf", help="output folder (default corpus/shelf)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every document")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2's font subsetting is chatty
    try:
        counts = build(args.src, args.out)
        if args.src.resolve() == (CORPUS_DIR / "src").resolve():
            update_readme(args.src, CORPUS_DIR / "README.md")
    except ValueError as exc:
        log.error("invalid source document: %s", exc)
        return 1
    summary = ", ".join(f"{fmt} {n}" for fmt, n in sorted(counts.items()))
    print(f"built {sum(counts.values())} documents into {args.out} ({summary})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The ``assistant`` command: ingest, remove, ask, search, documents, serve, ui, quiz, bases, changes, draft, users,
audit, trash, index, backup, restore, eval."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.types import Principal, SearchFilters

if TYPE_CHECKING:
    from assistant.service import AssistantService

logger = logging.getLogger("assistant")


def _principal(args: argparse.Namespace) -> Principal:
    units = frozenset(args.unit or ())
    roles = frozenset(args.role or ())
    return Principal(user_id="cli", units=units, roles=roles)


def _filters(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        doc_types=tuple(args.doc_type or ()), in_force_only=args.in_force_only, as_of=getattr(args, "as_of", None)
    )


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when every file was ingested, replaced or unchanged; 1 when any file failed (the others are still
    ingested and published); 2 for usage or configuration errors, before anything is done."""
    from assistant.accounts.models import ROLES
    from assistant.accounts.units import UnitTree
    from assistant.embedding.factory import create_embedder
    from ingest.pipeline import IngestPipeline
    from ingest.validation import AccessVocabulary

    tree = UnitTree.load(settings.units_file)  # ConfigurationError → exit 2
    if args.unit and args.unit not in tree:
        return _usage(
            f"--unit '{args.unit}' không có trong cây đơn vị {settings.units_file}. Dùng một mã có trong tệp đó."
        )
    report_file = Path(args.report) if args.report else None
    if report_file is not None and not report_file.parent.is_dir():
        return _usage(f"--report {report_file}: không có thư mục {report_file.parent}. Tạo thư mục trước.")
    vocabulary = AccessVocabulary(units=frozenset(tree.codes), roles=frozenset(ROLES))
    embedder = create_embedder(settings)
    embedder.load()
    pipeline = IngestPipeline(settings, embedder, progress=not args.no_progress, vocabulary=vocabulary)
    report = pipeline.ingest_paths(
        [Path(p) for p in args.paths], unit=args.unit or "", visibility=args.visibility, rebuild=args.rebuild
    )
    code = 0 if report.ok else 1
    if report_file is not None:
        body = {"exit_code": code, **report.as_dict()}
        report_file.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(
            f"Đã nạp {len(report.ingested)} mới, {len(report.replaced)} thay thế, {len(report.skipped)} bỏ qua "
            f"(không đổi), {len(report.failed)} lỗi; {report.chunks_added} đoạn mới, tổng {report.chunks_total} "
            f"đoạn; {report.seconds:.1f} s ({report.chunks_per_second:.1f} đoạn/s); phiên bản {report.version or '-'}"
        )
        for failure in report.failed:
            print(f"  LỖI {failure.path}: {failure.reason}")
        for result in report.files:
            for warning in result.warnings:
                print(f"  CẢNH BÁO {result.path}: {warning}")
    return code


def _usage(message: str) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return 2


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.accounts.audit import Action
    from assistant.accounts.cli import _actor
    from assistant.accounts.operations_cli import record
    from assistant.embedding.factory import create_embedder
    from ingest.pipeline import IngestPipeline

    embedder = create_embedder(settings)
    embedder.load()
    pipeline = IngestPipeline(settings, embedder, progress=False)
    report = pipeline.remove(args.doc_ids, actor=_actor(), reason=args.reason)
    for doc_id in report.removed:
        record(settings, Action.DOCUMENT_REMOVE, {"doc_id": doc_id, "version": report.version, "reason": args.reason})
        print(
            f"Đã chuyển {doc_id} vào thùng rác (khôi phục bằng `assistant trash restore {doc_id}` trong "
            f"{settings.trash_retention_days} ngày)"
        )
    for failure in report.failed:
        print(f"  LỖI {failure.path}: {failure.reason}")
    code = 0 if report.ok else 1
    if args.report:
        results = [{"doc_id": d, "status": "removed", "reason": ""} for d in report.removed] + [
            {"doc_id": f.path, "status": "failed", "reason": f.reason} for f in report.failed
        ]
        body = {"exit_code": code, "version": report.version, "ids": results}
        Path(args.report).write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return code


def _service(settings: Settings) -> AssistantService:
    from assistant.errors import IndexNotReady
    from assistant.service import AssistantService

    service = AssistantService(settings)
    service.load()
    if service.index_info() is None:
        raise IndexNotReady(str(settings.index_dir))
    return service


def _request(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``AssistantService.ask``/``search`` from the command line."""
    return {
        "principal": _principal(args),
        "history": args.history or (),
        "filters": _filters(args),
        "top_k": args.top_k,
    }


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    result = _service(settings).ask(" ".join(args.question), **_request(args))
    answer = result.answer
    if args.json:
        from assistant.api.schemas import CitationOut

        out = {
            "answer": answer.text,
            "abstained": answer.abstained,
            "evidence": answer.evidence,
            "threshold": result.evidence.threshold,
            "follow_up": result.query.is_follow_up,
            "citations": [CitationOut.from_core(c).model_dump() for c in answer.citations],
            "index_version": result.index_version,
            "timings": result.timings_ms,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.citations:
        print()
    for c in answer.citations:
        page = f", trang {c.page}" if c.page else ""
        number = f" {c.number}" if c.number else ""
        print(f"[{c.n}] {c.path}{number} — {c.title}{page}")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    result = _service(settings).search(" ".join(args.question), **_request(args))
    for p in result.passages:
        flag = "" if p.current else "  [không còn hiệu lực]"
        print(f"{p.rank:>2}. {p.score:.4f}  {p.chunk.chunk_id}  {p.chunk.path_label} — {p.document.title}{flag}")
    return 0


def cmd_documents(args: argparse.Namespace, settings: Settings) -> int:
    service = _service(settings)
    for doc in service.documents(principal=_principal(args), filters=_filters(args)):
        print(f"{doc.doc_id:40} {doc.number:20} {doc.doc_type:22} {doc.status.label_vi:24} {doc.visibility}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from assistant.api.app import create_app
    from assistant.api.hardening import server_options
    from assistant.api.observability import configure_logging

    host, port = args.host or settings.host, args.port or settings.port
    configure_logging(json_lines=settings.log_format == "json")  # request lines with their id; uvicorn's own off
    uvicorn.run(
        create_app(settings), host=host, port=port, log_config=None, access_log=False, **server_options(settings)
    )
    return 0


def cmd_deploy(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.api.deploy_files import DeployOptions, write_deploy_files

    options = DeployOptions(
        replicas=args.replicas, workers=args.workers, repo=args.repo, venv=args.venv, data_dir=args.data_dir,
        user=args.user, first_port=args.first_port, public_url=args.public_url, llm_model=args.llm_model,
        admin_username=settings.admin_username,
    )  # fmt: skip
    for path in write_deploy_files(args.out, options):
        print(path)
    print(f"Xem {args.out / 'README.md'}: cách chạy bằng docker compose hoặc systemd.")
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.api.ingest_worker import serve_worker
    from assistant.api.observability import configure_logging

    configure_logging(json_lines=settings.log_format == "json")
    serve_worker(settings)
    return 0


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    from ui.app import serve  # the browser UI: a separate HTTP client of the API, imported only here

    logging.getLogger("ui").setLevel(logging.INFO)  # the address it serves on
    serve(host=args.host, port=args.port, api_url=args.api_url)
    return 0


def cmd_quiz_generate(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.quiz.builder import QuizBuilder
    from assistant.quiz.export import export_bank
    from assistant.quiz.model import ItemKind, QuizBank
    from assistant.text.normalize import slugify

    principal = _principal(args)
    generated = QuizBuilder(_service(settings), seed=args.seed).generate(
        principal,
        doc_ids=tuple(args.doc_id or ()),
        topic=args.topic or "",
        doc_types=tuple(args.doc_type or ()),
        count=args.count,
        kinds=tuple(ItemKind(k) for k in args.kind) if args.kind else tuple(ItemKind),
        include_not_current=args.include_not_current,
    )
    title = args.title or f"Câu hỏi ôn tập: {args.topic or ', '.join(args.doc_id or args.doc_type or ())}"
    bank = QuizBank(
        bank_id=slugify(title)[:48] or "bank", title=title, topic=args.topic or "", owner=principal.user_id,
        unit=next(iter(sorted(principal.units)), ""), items=tuple(generated.items),
        doc_ids=tuple(sorted({s.doc_id for item in generated.items for s in item.sources})),
        audience=generated.audience,
    )  # fmt: skip
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in args.format or ["docx", "key"]:
        content, _, suffix = export_bank(bank, fmt)
        path = out / f"{bank.bank_id}{suffix}"
        path.write_bytes(content)
        written.append(str(path))
    print(
        f"Đã soạn {len(bank.items)} câu từ {len(bank.doc_ids)} văn bản ({len(generated.checks)} câu được kiểm tra, "
        f"{generated.rejected} câu không đạt bị loại)."
    )
    for name in written:
        print(f"  {name}")
    return 0 if bank.items else 1


def cmd_quiz_lesson(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.quiz.builder import QuizBuilder
    from assistant.quiz.export import lesson_to_docx

    lesson = QuizBuilder(_service(settings)).lesson(_principal(args), args.topic, n=args.points)
    if args.out:
        Path(args.out).write_bytes(lesson_to_docx(lesson))
        print(f"Đã ghi {args.out}")
        return 0
    print(lesson.title)
    for n, point in enumerate(lesson.points, 1):
        print(f"{n}. {point.text} ({point.source.citation})")
    return 0


def _add_quiz_parsers(sub: Any) -> None:
    quiz = sub.add_parser("quiz", help="trainer mode: cited quiz banks and lessons").add_subparsers(
        dest="quiz_command", required=True
    )
    p = quiz.add_parser("generate", help="generate a checked, cited bank and export it")
    p.add_argument("--topic", help='search the shelf for this topic, e.g. "chữ ký số"')
    p.add_argument("--doc-id", action="append", help="draw from this document (repeatable)")
    p.add_argument("--title", help="the bank's title")
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--kind", action="append", choices=[k.value for k in _item_kinds()], help="item kind (repeatable)")
    p.add_argument("--format", action="append", choices=["docx", "key", "moodle", "gift", "csv"],
                   help="export format (repeatable; default: docx and key)")  # fmt: skip
    p.add_argument("--out", default=".", help="folder for the exported files")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--include-not-current", action="store_true", help="also replaced/expired documents (flagged)")
    p.add_argument("--unit", action="append", help="act as a member of this unit (repeatable)")
    p.add_argument("--role", action="append", help="act with this role (repeatable)")
    p.add_argument("--doc-type", action="append", help="only this document type (repeatable)")
    p.set_defaults(func=cmd_quiz_generate)
    p = quiz.add_parser("lesson", help="a short lesson: the key rules of a topic, cited")
    p.add_argument("--topic", required=True)
    p.add_argument("--points", type=int, default=5)
    p.add_argument("--out", help="write the lesson as DOCX here (default: print it)")
    p.add_argument("--unit", action="append", help="act as a member of this unit (repeatable)")
    p.add_argument("--role", action="append", help="act with this role (repeatable)")
    p.set_defaults(func=cmd_quiz_lesson)


def cmd_bases(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.inspection.bases import legal_bases

    found = legal_bases(
        _service(settings), " ".join(args.topic), principal=_principal(args), as_of=args.as_of,
        include_superseded=args.include_superseded, limit=args.limit,
    )  # fmt: skip
    if args.json:
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return 0
    for basis in found.bases:
        flag = "  [không còn hiệu lực vào ngày này]" if basis.superseded else ""
        articles = ", ".join(a.path for a in basis.articles)
        print(f"{basis.number:20} {basis.rank_label:28} {basis.title}{flag}" + (f" ({articles})" if articles else ""))
    print()
    print(found.block() or f"Không tìm thấy căn cứ còn hiệu lực ngày {found.as_of:%d/%m/%Y} cho vấn đề này.")
    for cited in found.unverified:
        print(f"Cần kiểm tra (không có trong kho): {cited.text} — nêu tại {cited.cited_by}")
    return 0 if found.in_force else 1


def cmd_inspect(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.api.inspection_schemas import WorkspaceResponse
    from assistant.inspection.checklist_docx import checklist_docx
    from assistant.inspection.workspace import inspection_workspace

    found = inspection_workspace(
        _service(settings), " ".join(args.topic), args.object, principal=_principal(args), as_of=args.as_of
    )
    if args.checklist_out:
        content = checklist_docx(found.checklist, topic=found.topic, object_name=found.object_name, as_of=found.as_of)
        Path(args.checklist_out).write_bytes(content)
    if args.plan_out:
        Path(args.plan_out).write_bytes(found.plan.content)
    if args.json:
        print(json.dumps(WorkspaceResponse.from_core(found).model_dump(mode="json"), ensure_ascii=False, indent=2))
        return 0 if found.checklist else 1
    print(found.bases.block() or f"Không tìm thấy căn cứ còn hiệu lực ngày {found.as_of:%d/%m/%Y}.")
    print(f"\nBảng kiểm {found.object_name} ({len(found.checklist)} nội dung):")
    for n, item in enumerate(found.checklist, start=1):
        limits = f" [{item.limits}]" if item.limits else ""
        print(f"{n:3}. {item.duty}{limits} — {item.citation}")
    print("\nThời hạn theo quy trình:")
    for deadline in found.deadlines:
        print(f"  - {deadline.line()}")
    for path in (args.checklist_out, args.plan_out):
        if path:
            print(f"Đã ghi {path}")
    return 0 if found.checklist else 1


def cmd_changes(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.api.inspection_schemas import ComparisonOut
    from assistant.inspection.compare import compare_documents, compare_with_related
    from assistant.inspection.compare_docx import comparison_to_docx

    service, principal = _service(settings), _principal(args)
    if args.against:
        comparison = compare_documents(service, args.doc_id, args.against, principal=principal)
    else:
        comparison = compare_with_related(service, args.doc_id, principal=principal)
    if args.out:
        Path(args.out).write_bytes(comparison_to_docx(comparison, include_unchanged=args.include_unchanged))
    if args.json:
        out = ComparisonOut.from_core(comparison, include_unchanged=args.include_unchanged)
        print(json.dumps(out.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return 0
    print(f"{comparison.old_number or comparison.old_id} → {comparison.new_number or comparison.new_id}: "
          f"{comparison.count('changed')} điều sửa đổi, {comparison.count('added')} điều mới, "
          f"{comparison.count('removed')} điều bỏ")  # fmt: skip
    for change in comparison.changes if args.include_unchanged else comparison.differences:
        marked = "".join(
            text if op == "equal" else f"[-{text}-]" if op == "delete" else f"{{+{text}+}}"
            for op, text in change.segments
        )
        label = change.new_label or change.old_label
        print(f"\n{label} ({change.kind}):\n{marked}")
    if args.out:
        print(f"\nĐã ghi {args.out}")
    return 0


def _fields(pairs: Sequence[str]) -> dict[str, Any]:
    """``key=value`` pairs as a mapping; a key given more than once is a list of lines."""
    fields: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--field cần dạng khoa=gia_tri, nhận được '{pair}'")
        key = key.strip()
        if key in fields:
            previous = fields[key]
            fields[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[key] = value
    return fields


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    import dataclasses

    from assistant.api.inspection_schemas import draft_details
    from assistant.drafting import DraftKind, DraftRequest, InvalidDraftRequest, Signature, SignAuthority, render_draft
    from assistant.drafting.details import DETAILS_BY_KIND
    from assistant.inspection.bases import legal_bases

    kind = DraftKind.parse(args.kind)
    try:
        values = _fields(args.field or ())
    except ValueError as exc:
        raise InvalidDraftRequest("details", str(exc)) from exc
    lines_of = {f.name for f in dataclasses.fields(DETAILS_BY_KIND[kind]) if str(f.type).startswith("tuple")}
    values = {k: [v] if k in lines_of and isinstance(v, str) else v for k, v in values.items()}
    bases = list(args.basis or ())
    if args.bases_topic:
        found = legal_bases(_service(settings), args.bases_topic, principal=_principal(args), as_of=args.date)
        bases.extend(f"Căn cứ {b.citation}" for b in found.in_force)
    request = DraftRequest(
        kind=kind, issuing_body=args.issuing_body or "", issuing_abbreviation=args.issuing_abbreviation or "",
        superior_body=args.superior_body or "", drafting_unit=args.drafting_unit or "", number=args.number or "",
        place=args.place or "", date=args.date, subject=args.subject or "", recipients=tuple(args.recipient or ()),
        bases=tuple(dict.fromkeys(bases)), details=draft_details(kind, values),
        signature=Signature(SignAuthority.parse(args.sign_authority), args.on_behalf_of or "", args.signer_title or "",
                            args.signer_name or ""),
        distribution=tuple(args.distribution or ()),
    )  # fmt: skip
    draft = render_draft(request)
    Path(args.out).write_bytes(draft.content)
    print(f"Đã ghi {args.out}: {kind.label} số {draft.number}")
    if draft.placeholders:
        print("Còn để trống (cần điền): " + ", ".join(draft.placeholders))
    return 0


def _add_inspection_parsers(sub: Any) -> None:
    p = sub.add_parser("bases", help="legal bases of a topic on a date, in legal rank, with the căn cứ block")
    p.add_argument("topic", nargs="+")
    p.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="in force on this date (YYYY-MM-DD)")
    p.add_argument("--include-superseded", action="store_true", help="also the bases replaced or expired then")
    p.add_argument("--limit", type=int, default=12, help="at most this many on-topic documents")
    p.add_argument("--json", action="store_true")
    _add_identity(p)
    p.set_defaults(func=cmd_bases)

    p = sub.add_parser("inspect", help="inspection workspace: bases, the object's checklist, the plan's deadlines")
    p.add_argument("topic", nargs="+")
    p.add_argument("--object", required=True, help='the unit inspected, "UBND xã Chi Lăng"')
    p.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="texts in force on this date")
    p.add_argument("--checklist-out", metavar="F.docx", help="also write the checklist (bảng kiểm) as DOCX")
    p.add_argument("--plan-out", metavar="F.docx", help="also write the kế hoạch thanh tra as DOCX")
    p.add_argument("--json", action="store_true")
    _add_identity(p)
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("changes", help="what changed between a document and the one it replaces or amends")
    p.add_argument("doc_id")
    p.add_argument("--against", help="compare with this document instead of the related one")
    p.add_argument("--out", metavar="F.docx", help="also write the comparison as a Word table")
    p.add_argument("--include-unchanged", action="store_true", help="list unchanged articles too")
    p.add_argument("--json", action="store_true")
    _add_identity(p)
    p.set_defaults(func=cmd_changes)

    p = sub.add_parser("draft", help="draft an official document (Nghị định 30/2020/NĐ-CP) as DOCX")
    p.add_argument("kind", help="giay_moi, to_trinh, bao_cao, cong_van, ke_hoach, quyet_dinh")
    p.add_argument("--out", required=True, metavar="F.docx")
    p.add_argument("--issuing-body", help='cơ quan ban hành, "Ủy ban nhân dân tỉnh Lạng Sơn"')
    p.add_argument("--issuing-abbreviation", help='"UBND"')
    p.add_argument("--superior-body")
    p.add_argument("--drafting-unit", help='abbreviation of the drafting unit, "VP"')
    p.add_argument("--number", help='the số alone, "12"')
    p.add_argument("--place", help='địa danh, "Lạng Sơn"')
    p.add_argument("--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")
    p.add_argument("--subject", help="trích yếu")
    p.add_argument("--recipient", action="append", help="Kính gửi (repeatable)")
    p.add_argument("--basis", action="append", help="your own căn cứ line, put first (repeatable)")
    p.add_argument("--bases-topic", help="add the legal bases of this topic (as you may see them) as căn cứ lines")
    p.add_argument("--field", action="append", metavar="KEY=VALUE",
                   help="a particular of the kind, e.g. time=…, venue=…; repeat a key for more lines")  # fmt: skip
    p.add_argument("--sign-authority", help="TM., KT., TL., TUQ., Q.")
    p.add_argument("--on-behalf-of")
    p.add_argument("--signer-title")
    p.add_argument("--signer-name")
    p.add_argument("--distribution", action="append", help="Nơi nhận (repeatable)")
    _add_identity(p)
    p.set_defaults(func=cmd_draft)


def _add_identity(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", action="append", help="act as a member of this unit (repeatable)")
    parser.add_argument("--role", action="append", help="act with this role (repeatable)")


def _item_kinds() -> list[Any]:
    from assistant.quiz.model import ItemKind

    return list(ItemKind)


def _add_access(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", action="append", help="act as a member of this unit (repeatable)")
    parser.add_argument("--role", action="append", help="act with this role (repeatable)")
    parser.add_argument("--doc-type", action="append", help="only this document type (repeatable)")
    parser.add_argument("--in-force-only", action="store_true", help="only documents in force")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=None, help="judge validity at this date (YYYY-MM-DD)"
    )
    parser.add_argument("--top-k", type=int, default=None)
    parser.add_argument("--json", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Trợ lý công chức số")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files or folders into a new index version")
    p.add_argument("paths", nargs="+")
    p.add_argument("--unit", default="", help="owning unit for files whose metadata names none")
    p.add_argument("--visibility", choices=["public", "unit", "restricted"], default="public")
    p.add_argument("--rebuild", action="store_true", help="rebuild the whole index from the given paths")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument(
        "--strict", action="store_true", help="accepted for compatibility; any failed file already makes the exit 1"
    )
    p.add_argument("--json", action="store_true", help="print the report (with per-file results) as JSON")
    p.add_argument(
        "--report", metavar="FILE.json", help="write per-file results (path, doc_id, status, reason, warnings, chunks)"
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", help="move documents to the trash by id (restorable: `assistant trash`)")
    p.add_argument("doc_ids", nargs="+")
    p.add_argument("--reason", default="", help="why (kept in the trash and the audit log)")
    p.add_argument("--report", metavar="FILE.json", help="write per-id results (doc_id, status, reason)")
    p.set_defaults(func=cmd_remove)

    for name, func, text in (("ask", cmd_ask, "answer a question"), ("search", cmd_search, "ranked passages")):
        p = sub.add_parser(name, help=text)
        p.add_argument("question", nargs="+")
        p.add_argument("--history", action="append", help="an earlier question of the conversation (repeatable)")
        _add_access(p)
        p.set_defaults(func=func)

    p = sub.add_parser("documents", help="list documents")
    _add_access(p)
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser("serve", help="start the HTTP API")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "worker", help="ingest the uploads API replicas queue (ASSISTANT_INGEST_WORKER=true; shared data_dir and store)"
    )
    p.set_defaults(func=cmd_worker)

    from assistant.api.deploy_files import DeployOptions

    defaults = DeployOptions()
    p = sub.add_parser("deploy", help="write a compose file and systemd units: API ×N, worker, PostgreSQL, Redis, vLLM")
    p.add_argument("--out", type=Path, required=True, help="a new folder (secrets are drawn for it)")
    p.add_argument("--replicas", type=int, default=defaults.replicas, help="API replicas behind nginx")
    p.add_argument("--workers", type=int, default=defaults.workers, help="ingest workers")
    p.add_argument("--repo", type=Path, default=Path.cwd(), help="the checkout the image is built from")
    p.add_argument("--venv", type=Path, default=defaults.venv, help="systemd: the virtualenv holding `assistant`")
    p.add_argument("--data-dir", type=Path, default=defaults.data_dir, help="systemd: the shared data folder")
    p.add_argument("--user", default=defaults.user, help="systemd: the service account")
    p.add_argument("--first-port", type=int, default=defaults.first_port, help="systemd: replica i listens on +i")
    p.add_argument("--public-url", default=defaults.public_url, help="the address users reach nginx at")
    p.add_argument("--llm-model", default=defaults.llm_model, help="the model vLLM serves (compose profile llm)")
    p.set_defaults(func=cmd_deploy)

    p = sub.add_parser("ui", help="start the browser UI (a client of the HTTP API; settings ASSISTANT_UI_*)")
    p.add_argument("--host", help="default: ASSISTANT_UI_HOST or 127.0.0.1")
    p.add_argument("--port", type=int, help="default: ASSISTANT_UI_PORT or 7860")
    p.add_argument("--api-url", help="the API's base URL; default: ASSISTANT_UI_API_URL or http://127.0.0.1:8000")
    p.set_defaults(func=cmd_ui)

    _add_quiz_parsers(sub)
    _add_inspection_parsers(sub)

    from assistant.accounts.cli import add_account_parsers
    from assistant.accounts.operations_cli import add_operation_parsers
    from eval.cli import add_eval_parser

    add_account_parsers(sub)
    add_operation_parsers(sub)
    add_eval_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings()
        code: int = args.func(args, settings)
        return code
    except AssistantError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # pydantic settings validation
        print(f"Cấu hình không hợp lệ: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

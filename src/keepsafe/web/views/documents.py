"""Case documents (issue 14 §5): the Documents tab, a printable page of each kind, generating and storing its PDF,
and reading a stored document as its page, its PDF or its JSON — all from one composition (cases/documents.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from keepsafe.cases import documents
from keepsafe.cases.models import CaseDocument
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of

TAB = "case-documents"


def documents_tab(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, TAB)
    context.update(
        {
            "stored": list(documents.documents_for_case(person)),
            "kinds": [(slug, CaseDocument.Kind(kind).label) for slug, kind in documents.SLUGS.items()],
        }
    )
    return render(request, "case/documents.html", context)


def document_new(request: HttpRequest, crn: str, kind: str) -> HttpResponse:
    """GET: the printable page, composed now. POST: compose again, draw the PDF and store both."""
    if kind not in documents.SLUGS:
        raise Http404
    person, context = _case(request, crn, TAB)
    actor = actor_of(request)
    if request.method == "POST":
        try:
            stored = documents.document_generate(actor=actor, person=person, kind=documents.SLUGS[kind])
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            return _not_ready(request, context, kind, exc)
        return redirect("web:case-document", crn=person.crn, public_id=str(stored.public_id))
    try:
        composition = documents.compose(documents.SLUGS[kind], person, actor)
    except ValidationError as exc:
        return _not_ready(request, context, kind, exc)
    context.update(
        {"title": composition.title, "composition": composition, "slug": kind, "document": None, "printable": True}
    )
    return render(request, "case/document.html", context)


def _not_ready(request: HttpRequest, context: dict, kind: str, exc: ValidationError) -> HttpResponse:
    context.update(
        {
            "title": f"{CaseDocument.Kind(documents.SLUGS[kind]).label}: not available",
            "problems": [reason for _, reason in exc.problems],
            "slug": kind,
            "composition": None,
            "document": None,
        }
    )
    return render(request, "case/document.html", context, status=400)


def _stored(request: HttpRequest, crn: str, public_id: str, as_pdf: bool) -> tuple[dict, CaseDocument]:
    person, context = _case(request, crn, TAB)
    try:
        document = documents.document_get(actor=actor_of(request), person=person, public_id=public_id, as_pdf=as_pdf)
    except NotFoundError as exc:
        raise Http404 from exc
    return context, document


def document_page(request: HttpRequest, crn: str, public_id: str) -> HttpResponse:
    context, document = _stored(request, crn, public_id, as_pdf=False)
    composition = documents.Composition.from_json(document.composition)
    context.update(
        {
            "title": f"{document.title} ({document.generated_at:%-d %B %Y %H:%M})",
            "composition": composition,
            "document": document,
            "slug": documents.SLUG_OF[CaseDocument.Kind(document.kind)],
        }
    )
    return render(request, "case/document.html", context)


def document_pdf(request: HttpRequest, crn: str, public_id: str) -> HttpResponse:
    context, document = _stored(request, crn, public_id, as_pdf=True)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    slug = documents.SLUG_OF[CaseDocument.Kind(document.kind)]
    name = f"{slug}-{context['person'].crn}-{document.generated_at:%Y%m%d-%H%M}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["X-Content-SHA256"] = document.sha256
    return response


def document_json(request: HttpRequest, crn: str, public_id: str) -> HttpResponse:
    _, document = _stored(request, crn, public_id, as_pdf=False)
    return JsonResponse(
        {
            "id": str(document.public_id),
            "kind": document.kind,
            "generated_at": document.generated_at.isoformat(),
            "generated_by": document.generated_by,
            "pdf_sha256": document.sha256,
            "composition": document.composition,
        }
    )

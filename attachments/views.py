"""Upload, download and void attachments. A file is only ever read through `download`/`thumbnail`,
after the record it belongs to has been fetched through the scoping helper: another township's
attachment answers 404 exactly as its record does."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianchun.editing import attempt
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, require

from . import files, services
from .forms import AttachmentForm, VoidForm
from .models import ATTACHABLE, Attachment


def record_url(record) -> str:
    """Where a record's attachments are shown: its own page, or its parent's (a 四议两公开 step, a measure)."""
    label = record._meta.label_lower
    if label == "clusters.consentsurvey":
        return reverse("clusters:survey-detail", args=[record.pk])
    if label == "meetings.decisionrecord":
        return record.decision.get_absolute_url()
    if label == "rectification.rectificationitem":
        return record.plan.get_absolute_url()
    return record.get_absolute_url()


def visible_attachment(request, pk: int) -> Attachment:
    """The attachment if the user may see the record it belongs to (404 otherwise)."""
    attachment = Attachment.objects.filter(pk=pk).select_related("content_type").first()
    if attachment is None:
        raise Http404(_("No such record."))
    model = attachment.content_type.model_class()
    record = get_visible_or_404(model, request.user, pk=attachment.object_id)
    # The record decides who sees its files; the file must still belong to that record's county.
    if services.place_of(record)[0] != attachment.county_id:
        raise Http404(_("No such record."))
    attachment.record = record
    return attachment


@route("upload/<str:model>/<int:pk>/")
@require_POST
def upload(request, model: str, pk: int):
    if model not in ATTACHABLE:
        raise Http404(_("No such record."))
    record = get_visible_or_404(apps.get_model(model), request.user, pk=pk)
    require(services.can_attach(request.user, record))
    form = AttachmentForm(request.POST, request.FILES)
    outcome = attempt(
        form,
        lambda data: services.attach_file(
            record=record, uploaded=data["file"], caption=data.get("caption", ""), by=request.user
        ),
    )
    if outcome.ok:
        messages.success(request, _("The attachment was uploaded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        caption = (request.POST.get("caption") or "").strip()[:100]
        if caption:
            request.session[services.refused_caption_key(record)] = caption
    return redirect(f"{record_url(record)}#{services.anchor_of(record)}")


def _serve(field, attachment: Attachment, *, mime_type: str, filename: str):
    try:
        handle = field.storage.open(field.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("The file of this attachment is missing from the store.")) from None
    response = FileResponse(handle, content_type=mime_type, as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


@route("<int:pk>/")
def download(request, pk: int):
    attachment = visible_attachment(request, pk)
    # Named by the kind its bytes are (also for files kept before names were made to match).
    filename = files.named_as(attachment.original_name, attachment.file_kind)
    return _serve(attachment.file, attachment, mime_type=attachment.mime_type, filename=filename)


@route("<int:pk>/thumbnail/")
def thumbnail(request, pk: int):
    attachment = visible_attachment(request, pk)
    if not attachment.thumbnail:
        raise Http404(_("This attachment has no thumbnail."))
    return _serve(attachment.thumbnail, attachment, mime_type="image/jpeg", filename="thumbnail.jpg")


@route("<int:pk>/void/")
def void(request, pk: int):
    attachment = visible_attachment(request, pk)
    require(services.can_attach(request.user, attachment.record))
    form = VoidForm(request.POST or None)
    if request.method == "POST":
        outcome = attempt(
            form, lambda data: services.void_attachment(attachment=attachment, reason=data["reason"], by=request.user)
        )
        if outcome.ok:
            messages.success(request, _("The attachment was voided. It is kept, marked as void."))
            return redirect(f"{record_url(attachment.record)}#{services.anchor_of(attachment.record)}")
    return render(request, "attachments/attachment_void.html", {"attachment": attachment, "form": form})

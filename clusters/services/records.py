"""The cluster's own records besides its life cycle: details, documents, officers, opinions, the model charter."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import save_audited, void_record
from lianchun.changes import save_changes
from lianchun.phones import is_phone_number
from lianchun.scoping import require
from villages.models import Village

from .. import rules
from ..models import Cluster, ClusterOfficer, ConsentOpinion, Kind, ModelCharter, Status
from ..rules import can_manage
from .membership import require_editable

DOCUMENT_FIELDS = ["charter", "work_plan", "work_scope"]
DETAIL_FIELDS = [
    "name",
    "kind",
    "is_pilot",
    "reason_ties",
    "reason_identity",
    "reason_shared_interest",
    "reason_cluster_effect",
    "selection_note",
]
OFFICER_FIELDS = ["body", "name", "post", "home_village", "unit", "phone"]

DEFAULT_MODEL_CHARTER = (
    "第一条 本联村党总支、联村委员会在乡镇党委领导下开展工作，坚持“维护既有利益，发展共同利益”。\n"
    "第二条 各成员村的土地、集体资产和债权债务保持不变，有分有合。\n"
    "第三条 联村委员会由各成员村推选代表组成，重大事项按照“四议两公开”决策。\n"
    "第四条 联村党总支每月召开联席会议，研究联村发展和群众关心的问题。"
)


def model_charter_text(county: Any) -> str:
    charter = ModelCharter.objects.filter(county=county).first()
    return charter.text if charter else DEFAULT_MODEL_CHARTER


def update_cluster_details(*, cluster: Cluster, by: Any, reason: str = "", **details: Any) -> list[str]:
    """Change name, type, pilot flag and the reasons the villages were chosen."""
    require(can_manage(by, cluster))
    require_editable(cluster)
    if "name" in details and not (details["name"] or "").strip():
        raise ValidationError(_("Give the cluster a name."), code="name_required", params={"field": "name"})
    if "kind" in details and details["kind"] not in Kind.values:
        raise ValidationError(_("Unknown cluster type."), code="unknown_kind", params={"field": "kind"})
    return save_changes(cluster, details, DETAIL_FIELDS, by=by, reason=reason)


def update_cluster_documents(*, cluster: Cluster, by: Any, reason: str = "", **documents: str) -> list[str]:
    """Edit the charter, work plan and scope of work."""
    require(can_manage(by, cluster))
    if cluster.status == Status.DISSOLVED:
        raise ValidationError(_("A dissolved cluster's documents are kept as they were."), code="dissolved")
    if cluster.status == Status.SUBMITTED:
        raise ValidationError(
            _("The proposal is with the county for review; documents can change once it is returned or approved."),
            code="under_review",
        )
    return save_changes(cluster, documents, DOCUMENT_FIELDS, by=by, reason=reason)


def _clean_officer(cluster: Cluster, *, body, name, post, home_village, unit, phone) -> dict[str, Any]:
    if cluster.status == Status.DISSOLVED:
        raise ValidationError(_("A dissolved cluster's officers are kept as they were."), code="dissolved")
    if body not in ClusterOfficer.Body.values:
        raise ValidationError(_("Unknown body."), code="unknown_body", params={"field": "body"})
    if not (name or "").strip() or not (post or "").strip():
        raise ValidationError(_("Give the officer's name and post."), code="officer_incomplete")
    if home_village is not None and home_village.township_id != cluster.township_id:
        raise ValidationError(
            _("The home village must be a village of this township."),
            code="home_village_outside",
            params={"field": "home_village"},
        )
    phone = (phone or "").strip()
    if phone and not is_phone_number(phone):
        raise ValidationError(
            _(
                "Give an 11-digit mobile number starting with 1, or a landline with its area code (such as 0551-1234567)."
            ),
            code="bad_phone",
            params={"field": "phone"},
        )
    return {
        "body": body,
        "name": name.strip(),
        "post": post.strip(),
        "home_village": home_village,
        "unit": (unit or "").strip(),
        "phone": phone,
    }


def add_officer(
    *,
    cluster: Cluster,
    body: str,
    name: str,
    post: str,
    by: Any,
    home_village: Village | None = None,
    unit: str = "",
    phone: str = "",
) -> ClusterOfficer:
    require(can_manage(by, cluster))
    values = _clean_officer(cluster, body=body, name=name, post=post, home_village=home_village, unit=unit, phone=phone)
    officer = ClusterOfficer(cluster=cluster, **values)
    with transaction.atomic():
        save_audited(officer, by=by)
    return officer


def update_officer(*, officer: ClusterOfficer, by: Any, **values: Any) -> list[str]:
    """Correct an officer's body, name, post, home village, unit or phone."""
    require(can_manage(by, officer.cluster))
    if officer.is_voided:
        raise ValidationError(_("This record is already voided."), code="already_voided")
    current = {name: getattr(officer, name) for name in OFFICER_FIELDS}
    cleaned = _clean_officer(officer.cluster, **{**current, **{k: v for k, v in values.items() if k in current}})
    return save_changes(officer, cleaned, OFFICER_FIELDS, by=by)


def void_officer(*, officer: ClusterOfficer, by: Any, reason: str) -> None:
    require(can_manage(by, officer.cluster))
    void_record(officer, by=by, reason=reason)


def update_model_charter(*, county: Any, text: str, by: Any) -> ModelCharter:
    """The county office edits the county's model charter; new clusters start from it."""
    require(bool(getattr(by, "is_county_office", False)) and by.county_id == county.pk)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The model charter cannot be empty."), code="charter_empty", params={"field": "text"})
    with transaction.atomic():
        charter = ModelCharter.objects.select_for_update().filter(county=county).first()
        if charter is None:
            charter = ModelCharter(county=county, text=text, updated_at=clock.now(), updated_by=by)
            save_audited(charter, by=by)
        else:
            charter.text = text
            charter.updated_at = clock.now()
            charter.updated_by = by
            save_audited(charter, by=by, update_fields=["text", "updated_at", "updated_by"])
    return charter


def record_opinion(
    *, cluster: Cluster, source: str, content: str, received_on: datetime.date, by: Any, village: Village | None = None
) -> ConsentOpinion:
    require(can_manage(by, cluster))
    if cluster.status == Status.DISSOLVED:
        raise ValidationError(_("A dissolved cluster takes no more opinions."), code="dissolved")
    if source not in ConsentOpinion.Source.values:
        raise ValidationError(_("Unknown source."), code="unknown_source", params={"field": "source"})
    if not (content or "").strip():
        raise ValidationError(
            _("Write down the opinion or suggestion."), code="content_required", params={"field": "content"}
        )
    rules.check_since_proposal(cluster, received_on, "received_on")
    if village is not None and village.township_id != cluster.township_id:
        raise ValidationError(
            _("The village must be a village of this township."), code="village_outside", params={"field": "village"}
        )
    opinion = ConsentOpinion(
        cluster=cluster,
        village=village,
        source=source,
        content=content.strip(),
        received_on=received_on,
        recorded_by=by,
    )
    with transaction.atomic():
        save_audited(opinion, by=by)
    return opinion


def answer_opinion(*, opinion: ConsentOpinion, answer: str, by: Any, answered_on: datetime.date | None = None) -> None:
    require(can_manage(by, opinion.cluster))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(
            _("Write down how the opinion was answered."), code="answer_required", params={"field": "answer"}
        )
    answered_on = answered_on or clock.today()
    if answered_on < opinion.received_on:
        raise ValidationError(_("An opinion cannot be answered before it was received."), code="answer_before_received")
    with transaction.atomic():
        opinion.answer = answer
        opinion.answered_on = answered_on
        save_audited(opinion, by=by, update_fields=["answer", "answered_on"])

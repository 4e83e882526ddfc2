"""Writes to clusters. Each is a state-machine step or an edit that checks the rule and the actor.

Only the township (its cadres) proposes, shapes and submits a cluster; only the
county office approves, returns or dissolves it. Every step is one transaction
that saves through `save_audited` and leaves a ClusterEvent with the opinion.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import save_audited, void_record
from lianchun.scoping import require
from villages.models import PartnerUnit, Township, Village

from . import consent
from .models import (
    ACTIVE_STATUSES,
    Cluster,
    ClusterEvent,
    ClusterMembership,
    ClusterOfficer,
    ConsentBatch,
    ConsentOpinion,
    ConsentSurvey,
    Form,
    Kind,
    ModelCharter,
    Status,
)

URBAN_RURAL_MIN_VILLAGES = 2
URBAN_RURAL_MAX_VILLAGES = 4
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

DEFAULT_MODEL_CHARTER = (
    "第一条 本联村党总支、联村委员会在乡镇党委领导下开展工作，坚持“维护既有利益，发展共同利益”。\n"
    "第二条 各成员村的土地、集体资产和债权债务保持不变，有分有合。\n"
    "第三条 联村委员会由各成员村推选代表组成，重大事项按照“四议两公开”决策。\n"
    "第四条 联村党总支每月召开联席会议，研究联村发展和群众关心的问题。"
)


# --- Who may do what -------------------------------------------------------------------------------


def can_manage(user: Any, cluster: Cluster) -> bool:
    """The township keeps its own clusters (proposal, members, officers, tallies, documents)."""
    return bool(getattr(user, "is_township_cadre", False)) and cluster.township_id == user.township_id


def can_review(user: Any, cluster: Cluster) -> bool:
    """The county office of the cluster's county reviews, approves, returns and dissolves."""
    return bool(getattr(user, "is_county_office", False)) and cluster.township.county_id == user.county_id


def can_propose(user: Any, township: Township) -> bool:
    return bool(getattr(user, "is_township_cadre", False)) and township.pk == user.township_id


# --- Helpers --------------------------------------------------------------------------------------


def _record_event(cluster: Cluster, *, from_status: str, to_status: str, by: Any, opinion: str = "") -> ClusterEvent:
    event = ClusterEvent(
        cluster=cluster, from_status=from_status, to_status=to_status, by=by, at=clock.now(), opinion=opinion.strip()
    )
    event.save()
    return event


def _move(cluster: Cluster, *, allowed_from: Iterable[str], to: str, by: Any, opinion: str, extra_fields=()) -> None:
    if cluster.status not in allowed_from:
        raise ValidationError(
            _("A cluster that is “%(status)s” cannot move to “%(to)s”."),
            code="wrong_status",
            params={"status": cluster.get_status_display(), "to": Status(to).label},
        )
    from_status = cluster.status
    cluster.status = to
    save_audited(cluster, by=by, reason=opinion, update_fields=["status", *extra_fields])
    _record_event(cluster, from_status=from_status, to_status=to, by=by, opinion=opinion)


def _lock(cluster: Cluster) -> Cluster:
    """Re-read the cluster under a row lock so two reviewers cannot both move it."""
    locked = Cluster.objects.select_for_update().select_related("township").get(pk=cluster.pk)
    for name in ["status", "established_on", "dissolved_on"]:
        setattr(cluster, name, getattr(locked, name))
    return cluster


def _check_member_count(form: str, villages: list[Village]) -> None:
    if form == Form.URBAN_RURAL:
        if not URBAN_RURAL_MIN_VILLAGES <= len(villages) <= URBAN_RURAL_MAX_VILLAGES:
            raise ValidationError(
                _("An urban–rural joint cluster joins one partner unit with 2 to 4 villages; %(count)s were chosen."),
                code="urban_rural_village_count",
                params={"count": len(villages)},
            )
    elif len(villages) < 2:
        raise ValidationError(_("A village cluster joins at least two villages."), code="too_few_villages")


def _check_villages_free(form: str, villages: Iterable[Village], *, except_cluster: Cluster | None = None) -> None:
    busy = ClusterMembership.objects.filter(village__in=list(villages), form=form, is_active=True).select_related(
        "cluster", "village"
    )
    if except_cluster is not None:
        busy = busy.exclude(cluster=except_cluster)
    busy = list(busy)
    if busy:
        raise ValidationError(
            _("%(villages)s already belong to another active cluster of this form: %(clusters)s."),
            code="village_in_other_cluster",
            params={
                "villages": "、".join(m.village.name for m in busy),
                "clusters": "、".join(sorted({f"{m.cluster.name}（{m.cluster.get_status_display()}）" for m in busy})),
            },
        )


def model_charter_text(county: Any) -> str:
    charter = ModelCharter.objects.filter(county=county).first()
    return charter.text if charter else DEFAULT_MODEL_CHARTER


def _join(cluster: Cluster, village: Village, *, by: Any, on: datetime.date) -> None:
    membership = ClusterMembership(cluster=cluster, village=village, form=cluster.form, joined_on=on)
    try:
        with transaction.atomic():
            save_audited(membership, by=by)
    except IntegrityError:
        # The database constraint caught a race the domain check missed.
        _check_villages_free(cluster.form, [village], except_cluster=cluster)
        raise
    survey = ConsentSurvey.objects.filter(cluster=cluster, village=village).first()
    if survey is None:
        survey = ConsentSurvey(cluster=cluster, village=village, handed_out=0)
        save_audited(survey, by=by)
    elif not survey.is_active:
        survey.is_active = True
        save_audited(survey, by=by, update_fields=["is_active"])


# --- Proposal and shaping -------------------------------------------------------------------------


def propose_cluster(
    *,
    township: Township,
    name: str,
    villages: Iterable[Village],
    lead_village: Village,
    by: Any,
    form: str = Form.VILLAGE_CLUSTER,
    kind: str = Kind.STRONG_WEAK,
    partner_unit: PartnerUnit | None = None,
    is_pilot: bool = False,
    reason_ties: bool = False,
    reason_identity: bool = False,
    reason_shared_interest: bool = False,
    reason_cluster_effect: bool = False,
    selection_note: str = "",
    opinion: str = "",
) -> Cluster:
    """拟组建: the township proposes a cluster of its villages; surveys open for each member."""
    require(can_propose(by, township))
    villages = list({v.pk: v for v in villages}.values())
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the cluster a name."), code="name_required")
    if form not in Form.values:
        raise ValidationError(_("Unknown cluster form."), code="unknown_form")
    if kind not in Kind.values:
        raise ValidationError(_("Unknown cluster type."), code="unknown_kind")
    others = [v.name for v in villages if v.township_id != township.pk or v.is_voided]
    if others:
        raise ValidationError(
            _("These villages are not villages of %(township)s: %(villages)s."),
            code="village_outside_township",
            params={"township": township.name, "villages": "、".join(others)},
        )
    _check_member_count(form, villages)
    if form == Form.URBAN_RURAL:
        if partner_unit is None:
            raise ValidationError(
                _("An urban–rural joint cluster needs its partner unit."), code="partner_unit_required"
            )
        if partner_unit.county_id != township.county_id or partner_unit.is_voided:
            raise ValidationError(_("Choose a partner unit of this county."), code="partner_unit_outside_county")
    else:
        partner_unit = None
    if lead_village is None or lead_village.pk not in {v.pk for v in villages}:
        raise ValidationError(_("The lead village must be one of the member villages."), code="lead_not_member")
    with transaction.atomic():
        _check_villages_free(form, villages)
        today = clock.today()
        cluster = Cluster(
            township=township,
            name=name,
            form=form,
            kind=kind,
            partner_unit=partner_unit,
            lead_village=lead_village,
            status=Status.PROPOSED,
            is_pilot=is_pilot,
            reason_ties=reason_ties,
            reason_identity=reason_identity,
            reason_shared_interest=reason_shared_interest,
            reason_cluster_effect=reason_cluster_effect,
            selection_note=selection_note.strip(),
            charter=model_charter_text(township.county_id),
            proposed_on=today,
            created_by=by,
        )
        save_audited(cluster, by=by, reason=opinion)
        for village in villages:
            _join(cluster, village, by=by, on=today)
        _record_event(cluster, from_status="", to_status=Status.PROPOSED, by=by, opinion=opinion)
    return cluster


def _require_editable(cluster: Cluster) -> None:
    if not cluster.is_editable:
        raise ValidationError(
            _("The cluster is “%(status)s”: it can no longer be changed by the township."),
            code="not_editable",
            params={"status": cluster.get_status_display()},
        )


def update_cluster_details(*, cluster: Cluster, by: Any, reason: str = "", **details: Any) -> list[str]:
    """Change name, type, pilot flag and the reasons the villages were chosen."""
    require(can_manage(by, cluster))
    _require_editable(cluster)
    if "name" in details and not (details["name"] or "").strip():
        raise ValidationError(_("Give the cluster a name."), code="name_required")
    if "kind" in details and details["kind"] not in Kind.values:
        raise ValidationError(_("Unknown cluster type."), code="unknown_kind")
    changed = [n for n, v in details.items() if n in DETAIL_FIELDS and getattr(cluster, n) != v]
    if changed:
        with transaction.atomic():
            for n in changed:
                setattr(cluster, n, details[n])
            save_audited(cluster, by=by, reason=reason, update_fields=changed)
    return changed


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
    changed = [n for n, v in documents.items() if n in DOCUMENT_FIELDS and getattr(cluster, n) != v]
    if changed:
        with transaction.atomic():
            for n in changed:
                setattr(cluster, n, documents[n])
            save_audited(cluster, by=by, reason=reason, update_fields=changed)
    return changed


def add_member(*, cluster: Cluster, village: Village, by: Any) -> ClusterMembership:
    require(can_manage(by, cluster))
    _require_editable(cluster)
    if village.township_id != cluster.township_id or village.is_voided:
        raise ValidationError(
            _("These villages are not villages of %(township)s: %(villages)s."),
            code="village_outside_township",
            params={"township": cluster.township.name, "villages": village.name},
        )
    with transaction.atomic():
        members = [m.village for m in cluster.memberships.filter(is_active=True).select_related("village")]
        if village.pk in {v.pk for v in members}:
            raise ValidationError(
                _("%(village)s is already a member."), code="already_member", params={"village": village.name}
            )
        if cluster.form == Form.URBAN_RURAL:
            _check_member_count(cluster.form, [*members, village])
        _check_villages_free(cluster.form, [village], except_cluster=cluster)
        _join(cluster, village, by=by, on=clock.today())
    return cluster.memberships.get(village=village, is_active=True)


def remove_member(*, cluster: Cluster, village: Village, by: Any) -> None:
    """Take a village out of a proposal; its survey is kept but no longer counts."""
    require(can_manage(by, cluster))
    _require_editable(cluster)
    with transaction.atomic():
        members = list(cluster.memberships.filter(is_active=True).select_related("village"))
        membership = next((m for m in members if m.village_id == village.pk), None)
        if membership is None:
            raise ValidationError(
                _("%(village)s is not a member."), code="not_member", params={"village": village.name}
            )
        if cluster.lead_village_id == village.pk:
            raise ValidationError(
                _("%(village)s is the lead village; choose another lead village first."),
                code="remove_lead",
                params={"village": village.name},
            )
        _check_member_count(cluster.form, [m.village for m in members if m.pk != membership.pk])
        membership.is_active = False
        membership.left_on = clock.today()
        save_audited(membership, by=by, update_fields=["is_active", "left_on"])
        survey = ConsentSurvey.objects.filter(cluster=cluster, village=village).first()
        if survey is not None and survey.is_active:
            survey.is_active = False
            save_audited(survey, by=by, update_fields=["is_active"])


def set_lead_village(*, cluster: Cluster, village: Village, by: Any) -> None:
    require(can_manage(by, cluster))
    _require_editable(cluster)
    if not cluster.memberships.filter(village=village, is_active=True).exists():
        raise ValidationError(_("The lead village must be one of the member villages."), code="lead_not_member")
    with transaction.atomic():
        cluster.lead_village = village
        save_audited(cluster, by=by, update_fields=["lead_village"])


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
    if cluster.status == Status.DISSOLVED:
        raise ValidationError(_("A dissolved cluster's officers are kept as they were."), code="dissolved")
    if body not in ClusterOfficer.Body.values:
        raise ValidationError(_("Unknown body."), code="unknown_body")
    if not (name or "").strip() or not (post or "").strip():
        raise ValidationError(_("Give the officer's name and post."), code="officer_incomplete")
    if home_village is not None and home_village.township_id != cluster.township_id:
        raise ValidationError(_("The home village must be a village of this township."), code="home_village_outside")
    phone = (phone or "").strip()
    if phone and not phone.replace("-", "").isdigit():
        raise ValidationError(_("A phone number has only digits and hyphens."), code="bad_phone")
    officer = ClusterOfficer(
        cluster=cluster,
        body=body,
        name=name.strip(),
        post=post.strip(),
        home_village=home_village,
        unit=unit.strip(),
        phone=phone,
    )
    with transaction.atomic():
        save_audited(officer, by=by)
    return officer


def void_officer(*, officer: ClusterOfficer, by: Any, reason: str) -> None:
    require(can_manage(by, officer.cluster))
    void_record(officer, by=by, reason=reason)


def update_model_charter(*, county: Any, text: str, by: Any) -> ModelCharter:
    """The county office edits the county's model charter; new clusters start from it."""
    require(bool(getattr(by, "is_county_office", False)) and by.county_id == county.pk)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The model charter cannot be empty."), code="charter_empty")
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


# --- Consent --------------------------------------------------------------------------------------


def _require_consent_open(cluster: Cluster) -> None:
    if not cluster.accepts_consent:
        raise ValidationError(
            _("Consent is recorded during consultation; the cluster is “%(status)s”."),
            code="consent_closed",
            params={"status": cluster.get_status_display()},
        )


def _locked_survey(survey: ConsentSurvey) -> ConsentSurvey:
    """The survey re-read under a row lock: two people adding batches at once cannot both pass the
    "no more returned than handed out" check on the same stale total."""
    return ConsentSurvey.objects.select_for_update().get(pk=survey.pk)


def _returned_so_far(survey: ConsentSurvey, *, excluding: ConsentBatch | None = None) -> int:
    batches = survey.batches.filter(voided_at__isnull=True)
    if excluding is not None:
        batches = batches.exclude(pk=excluding.pk)
    return sum(b.returned for b in batches)


def set_forms_handed_out(*, survey: ConsentSurvey, handed_out: int, by: Any, reason: str = "") -> None:
    """How many consent forms went out in the village (house by house)."""
    require(can_manage(by, survey.cluster))
    cluster = survey.cluster
    if cluster.status not in {Status.PROPOSED, Status.CONSULTING, Status.RETURNED}:
        _require_consent_open(cluster)
    if handed_out is None or handed_out < 0:
        raise ValidationError(_("Counts cannot be negative."), code="negative_count")
    with transaction.atomic():
        locked = _locked_survey(survey)
        returned = _returned_so_far(locked)
        if handed_out < returned:
            raise ValidationError(
                _("%(returned)s forms have already come back; no fewer can have been handed out."),
                code="handed_out_below_returned",
                params={"returned": returned},
            )
        locked.handed_out = handed_out
        save_audited(locked, by=by, reason=reason, update_fields=["handed_out"])
        survey.handed_out = handed_out


def record_consent_batch(
    *,
    survey: ConsentSurvey,
    returned: int,
    agree: int,
    disagree: int,
    invalid: int,
    batch_date: datetime.date,
    by: Any,
    note: str = "",
) -> ConsentBatch:
    """Add the forms that came back together; the village's totals are the sum of its batches."""
    require(can_manage(by, survey.cluster))
    _require_consent_open(survey.cluster)
    if not survey.is_active:
        raise ValidationError(_("This village is no longer a member of the cluster."), code="survey_inactive")
    if batch_date is None or batch_date > clock.today():
        raise ValidationError(_("The date cannot be in the future."), code="future_date")
    with transaction.atomic():
        locked = _locked_survey(survey)
        consent.validate_batch(
            returned=returned,
            agree=agree,
            disagree=disagree,
            invalid=invalid,
            already_returned=_returned_so_far(locked),
            handed_out=locked.handed_out,
        )
        batch = ConsentBatch(
            survey=locked,
            batch_date=batch_date,
            returned=returned,
            agree=agree,
            disagree=disagree,
            invalid=invalid,
            note=(note or "").strip()[:200],
            recorded_by=by,
            recorded_at=clock.now(),
        )
        save_audited(batch, by=by, reason=note)
    return batch


def correct_consent_batch(
    *, batch: ConsentBatch, returned: int, agree: int, disagree: int, invalid: int, by: Any, reason: str
) -> None:
    """Correct a wrong batch; the audit trail keeps the numbers it had and who changed them."""
    survey = batch.survey
    require(can_manage(by, survey.cluster))
    _require_consent_open(survey.cluster)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the batch is corrected."), code="reason_required")
    if batch.is_voided:
        raise ValidationError(_("This record is already voided."), code="already_voided")
    with transaction.atomic():
        locked = _locked_survey(survey)
        consent.validate_batch(
            returned=returned,
            agree=agree,
            disagree=disagree,
            invalid=invalid,
            already_returned=_returned_so_far(locked, excluding=batch),
            handed_out=locked.handed_out,
        )
        batch.returned, batch.agree, batch.disagree, batch.invalid = returned, agree, disagree, invalid
        save_audited(batch, by=by, reason=reason, update_fields=["returned", "agree", "disagree", "invalid"])


def void_consent_batch(*, batch: ConsentBatch, by: Any, reason: str) -> None:
    require(can_manage(by, batch.survey.cluster))
    _require_consent_open(batch.survey.cluster)
    void_record(batch, by=by, reason=reason)


def record_opinion(
    *, cluster: Cluster, source: str, content: str, received_on: datetime.date, by: Any, village: Village | None = None
) -> ConsentOpinion:
    require(can_manage(by, cluster))
    if cluster.status == Status.DISSOLVED:
        raise ValidationError(_("A dissolved cluster takes no more opinions."), code="dissolved")
    if source not in ConsentOpinion.Source.values:
        raise ValidationError(_("Unknown source."), code="unknown_source")
    if not (content or "").strip():
        raise ValidationError(_("Write down the opinion or suggestion."), code="content_required")
    if received_on is None or received_on > clock.today():
        raise ValidationError(_("The date cannot be in the future."), code="future_date")
    if village is not None and village.township_id != cluster.township_id:
        raise ValidationError(_("The village must be a village of this township."), code="village_outside")
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
        raise ValidationError(_("Write down how the opinion was answered."), code="answer_required")
    answered_on = answered_on or clock.today()
    if answered_on < opinion.received_on:
        raise ValidationError(_("An opinion cannot be answered before it was received."), code="answer_before_received")
    with transaction.atomic():
        opinion.answer = answer
        opinion.answered_on = answered_on
        save_audited(opinion, by=by, update_fields=["answer", "answered_on"])


# --- Selectors the rule needs ---------------------------------------------------------------------


def member_tallies(cluster: Cluster) -> list[tuple[ConsentSurvey, consent.Tally]]:
    """Each active member village's survey with its tally (two queries)."""
    surveys = list(
        ConsentSurvey.objects.filter(cluster=cluster, is_active=True)
        .select_related("village")
        .prefetch_related("batches")
        .order_by("village__code")
    )
    return [(s, s.tally(list(s.batches.all()))) for s in surveys]


def failing_villages(cluster: Cluster) -> list[tuple[ConsentSurvey, consent.Tally]]:
    return [(s, t) for s, t in member_tallies(cluster) if not t.passes]


def _failing_message(failing: list[tuple[ConsentSurvey, consent.Tally]]) -> str:
    parts = []
    for survey, tally in failing:
        if tally.handed_out == 0:
            parts.append(_("%(village)s: no forms handed out") % {"village": survey.village.name})
        else:
            parts.append(
                _("%(village)s: %(rate)s agree, %(needed)s more agreeing forms needed")
                % {"village": survey.village.name, "rate": tally.agree_rate, "needed": tally.forms_needed}
            )
    return "；".join(parts)


# --- Life cycle -----------------------------------------------------------------------------------


def start_consultation(*, cluster: Cluster, by: Any, opinion: str = "") -> None:
    """拟组建 → 征求意见: consent forms go out house by house."""
    require(can_manage(by, cluster))
    with transaction.atomic():
        _lock(cluster)
        _move(cluster, allowed_from={Status.PROPOSED}, to=Status.CONSULTING, by=by, opinion=opinion)


def submit_cluster(*, cluster: Cluster, by: Any, opinion: str = "") -> None:
    """征求意见 / 退回修改 → 报县审核, only when every member village passes the consent rule."""
    require(can_manage(by, cluster))
    with transaction.atomic():
        _lock(cluster)
        if cluster.status not in {Status.CONSULTING, Status.RETURNED}:
            raise ValidationError(
                _("A cluster that is “%(status)s” cannot move to “%(to)s”."),
                code="wrong_status",
                params={"status": cluster.get_status_display(), "to": Status.SUBMITTED.label},
            )
        failing = failing_villages(cluster)
        if failing:
            raise ValidationError(
                _(
                    "The cluster cannot be submitted: at least %(threshold)s%% of the forms handed out must agree in "
                    "every member village. %(villages)s."
                ),
                code="consent_not_reached",
                params={"threshold": consent.threshold(), "villages": _failing_message(failing)},
            )
        _move(cluster, allowed_from={Status.CONSULTING, Status.RETURNED}, to=Status.SUBMITTED, by=by, opinion=opinion)


def approve_cluster(
    *, cluster: Cluster, by: Any, opinion: str = "", established_on: datetime.date | None = None
) -> None:
    """报县审核 → 已组建 (county office)."""
    require(can_review(by, cluster))
    with transaction.atomic():
        _lock(cluster)
        established_on = established_on or clock.today()
        if established_on > clock.today():
            raise ValidationError(_("The date cannot be in the future."), code="future_date")
        if cluster.status == Status.SUBMITTED:
            # The rule is checked again at approval, in case a tally changed underneath.
            failing = failing_villages(cluster)
            if failing:
                raise ValidationError(
                    _(
                        "The cluster cannot be submitted: at least %(threshold)s%% of the forms handed out must agree "
                        "in every member village. %(villages)s."
                    ),
                    code="consent_not_reached",
                    params={"threshold": consent.threshold(), "villages": _failing_message(failing)},
                )
        cluster.established_on = established_on
        _move(
            cluster,
            allowed_from={Status.SUBMITTED},
            to=Status.ESTABLISHED,
            by=by,
            opinion=opinion,
            extra_fields=["established_on"],
        )


def return_cluster(*, cluster: Cluster, by: Any, opinion: str) -> None:
    """报县审核 → 退回修改 (county office), always with an opinion the township reads."""
    require(can_review(by, cluster))
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError(_("Say what the township should revise."), code="opinion_required")
    with transaction.atomic():
        _lock(cluster)
        _move(cluster, allowed_from={Status.SUBMITTED}, to=Status.RETURNED, by=by, opinion=opinion)


def dissolve_cluster(*, cluster: Cluster, by: Any, opinion: str, dissolved_on: datetime.date | None = None) -> None:
    """→ 已撤销 (county office): memberships end with the date; the villages may then join another cluster."""
    require(can_review(by, cluster))
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError(_("Say why the cluster is dissolved."), code="opinion_required")
    with transaction.atomic():
        _lock(cluster)
        dissolved_on = dissolved_on or clock.today()
        if dissolved_on > clock.today():
            raise ValidationError(_("The date cannot be in the future."), code="future_date")
        cluster.dissolved_on = dissolved_on
        _move(
            cluster,
            allowed_from=ACTIVE_STATUSES,
            to=Status.DISSOLVED,
            by=by,
            opinion=opinion,
            extra_fields=["dissolved_on"],
        )
        for membership in cluster.memberships.filter(is_active=True):
            membership.is_active = False
            membership.left_on = max(dissolved_on, membership.joined_on)
            save_audited(membership, by=by, reason=opinion, update_fields=["is_active", "left_on"])


def latest_return_opinion(cluster: Cluster) -> ClusterEvent | None:
    if cluster.status != Status.RETURNED:
        return None
    return cluster.events.filter(to_status=Status.RETURNED).select_related("by").order_by("-at", "-pk").first()

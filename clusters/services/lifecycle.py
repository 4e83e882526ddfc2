"""A cluster's life: the proposal, then each step of the declared workflow (`clusters.workflows.FLOW`).

Only the township proposes and submits; only the county office approves, returns or dissolves.
The steps are thin callers of `FLOW.perform`, which locks the row, checks role, state and the
consent rule, saves with `save_audited` and leaves a ClusterEvent with the opinion.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import create_audited
from lianchun.scoping import require
from villages.models import PartnerUnit, Township, Village

from ..models import Cluster, ClusterEvent, Form, Kind, Status
from ..rules import can_propose
from ..workflows import FLOW, record_event
from .membership import check_member_count, check_villages_free, join
from .records import model_charter_text


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
        raise ValidationError(_("Give the cluster a name."), code="name_required", params={"field": "name"})
    if form not in Form.values:
        raise ValidationError(_("Unknown cluster form."), code="unknown_form", params={"field": "form"})
    if kind not in Kind.values:
        raise ValidationError(_("Unknown cluster type."), code="unknown_kind", params={"field": "kind"})
    others = [v.name for v in villages if v.township_id != township.pk or v.is_voided]
    if others:
        raise ValidationError(
            _("These villages are not villages of %(township)s: %(villages)s."),
            code="village_outside_township",
            params={"township": township.name, "villages": "、".join(others), "field": "villages"},
        )
    check_member_count(form, villages)
    if form == Form.URBAN_RURAL:
        if partner_unit is None:
            raise ValidationError(
                _("An urban–rural joint cluster needs its partner unit."),
                code="partner_unit_required",
                params={"field": "partner_unit"},
            )
        if partner_unit.county_id != township.county_id or partner_unit.is_voided:
            raise ValidationError(
                _("Choose a partner unit of this county."),
                code="partner_unit_outside_county",
                params={"field": "partner_unit"},
            )
    else:
        partner_unit = None
    if lead_village is None or lead_village.pk not in {v.pk for v in villages}:
        raise ValidationError(
            _("The lead village must be one of the member villages."),
            code="lead_not_member",
            params={"field": "lead_village"},
        )
    with transaction.atomic():
        check_villages_free(form, villages)
        today = clock.today()
        cluster = create_audited(
            Cluster,
            by=by,
            reason=opinion,
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
        for village in villages:
            join(cluster, village, by=by, on=today)
        record_event(cluster, from_status="", to_status=Status.PROPOSED, by=by, opinion=opinion)
    return cluster


def _require_opinion(opinion: str, message: str) -> str:
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError(message, code="opinion_required", params={"field": "opinion"})
    return opinion


def start_consultation(*, cluster: Cluster, by: Any, opinion: str = "", began_on: datetime.date | None = None) -> None:
    """拟组建 → 征求意见: consent forms go out house by house."""
    FLOW.perform(cluster, "start_consultation", by=by, opinion=opinion, began_on=began_on)


def submit_cluster(*, cluster: Cluster, by: Any, opinion: str = "") -> None:
    """征求意见 / 退回修改 → 报县审核, only when every member village passes the consent rule."""
    FLOW.perform(cluster, "submit", by=by, opinion=opinion)


def approve_cluster(
    *, cluster: Cluster, by: Any, opinion: str = "", established_on: datetime.date | None = None
) -> None:
    """报县审核 → 已组建 (county office), established on a day between submission and today."""
    FLOW.perform(cluster, "approve", by=by, opinion=opinion, established_on=established_on)


def return_cluster(*, cluster: Cluster, by: Any, opinion: str) -> None:
    """报县审核 → 退回修改 (county office), always with an opinion the township reads."""
    opinion = _require_opinion(opinion, _("Say what the township should revise."))
    FLOW.perform(cluster, "return", by=by, opinion=opinion)


def dissolve_cluster(*, cluster: Cluster, by: Any, opinion: str, dissolved_on: datetime.date | None = None) -> None:
    """→ 已撤销 (county office): memberships end with the date; the villages may then join another cluster."""
    opinion = _require_opinion(opinion, _("Say why the cluster is dissolved."))
    FLOW.perform(cluster, "dissolve", by=by, opinion=opinion, dissolved_on=dissolved_on)


def latest_return_opinion(cluster: Cluster) -> ClusterEvent | None:
    if cluster.status != Status.RETURNED:
        return None
    return cluster.events.filter(to_status=Status.RETURNED).select_related("by").order_by("-at", "-pk").first()

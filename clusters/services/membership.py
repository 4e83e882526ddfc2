"""Which villages a cluster joins: members come and go while the township shapes the proposal."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import save_audited
from lianchun.scoping import require
from villages.models import Village

from ..models import Cluster, ClusterMembership, ConsentSurvey, Form
from ..rules import can_manage

URBAN_RURAL_MIN_VILLAGES = 2
URBAN_RURAL_MAX_VILLAGES = 4


def require_editable(cluster: Cluster) -> None:
    if not cluster.is_editable:
        raise ValidationError(
            _("The cluster is “%(status)s”: it can no longer be changed by the township."),
            code="not_editable",
            params={"status": cluster.get_status_display()},
        )


def check_member_count(form: str, villages: list[Village]) -> None:
    if form == Form.URBAN_RURAL:
        if not URBAN_RURAL_MIN_VILLAGES <= len(villages) <= URBAN_RURAL_MAX_VILLAGES:
            raise ValidationError(
                _("An urban–rural joint cluster joins one partner unit with 2 to 4 villages; %(count)s were chosen."),
                code="urban_rural_village_count",
                params={"count": len(villages), "field": "villages"},
            )
    elif len(villages) < 2:
        raise ValidationError(
            _("A village cluster joins at least two villages."), code="too_few_villages", params={"field": "villages"}
        )


def check_villages_free(form: str, villages: Iterable[Village], *, except_cluster: Cluster | None = None) -> None:
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


def join(cluster: Cluster, village: Village, *, by: Any, on: datetime.date) -> None:
    membership = ClusterMembership(cluster=cluster, village=village, form=cluster.form, joined_on=on)
    try:
        with transaction.atomic():
            save_audited(membership, by=by)
    except IntegrityError:
        # The database constraint caught a race the domain check missed.
        check_villages_free(cluster.form, [village], except_cluster=cluster)
        raise
    survey = ConsentSurvey.objects.filter(cluster=cluster, village=village).first()
    if survey is None:
        survey = ConsentSurvey(cluster=cluster, village=village, handed_out=0)
        save_audited(survey, by=by)
    elif not survey.is_active:
        survey.is_active = True
        save_audited(survey, by=by, update_fields=["is_active"])


def add_member(*, cluster: Cluster, village: Village, by: Any) -> ClusterMembership:
    require(can_manage(by, cluster))
    require_editable(cluster)
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
            check_member_count(cluster.form, [*members, village])
        check_villages_free(cluster.form, [village], except_cluster=cluster)
        join(cluster, village, by=by, on=clock.today())
    return cluster.memberships.get(village=village, is_active=True)


def remove_member(*, cluster: Cluster, village: Village, by: Any) -> None:
    """Take a village out of a proposal; its survey is kept but no longer counts."""
    require(can_manage(by, cluster))
    require_editable(cluster)
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
        check_member_count(cluster.form, [m.village for m in members if m.pk != membership.pk])
        membership.is_active = False
        membership.left_on = clock.today()
        save_audited(membership, by=by, update_fields=["is_active", "left_on"])
        survey = ConsentSurvey.objects.filter(cluster=cluster, village=village).first()
        if survey is not None and survey.is_active:
            survey.is_active = False
            save_audited(survey, by=by, update_fields=["is_active"])


def set_lead_village(*, cluster: Cluster, village: Village, by: Any) -> None:
    require(can_manage(by, cluster))
    require_editable(cluster)
    if not cluster.memberships.filter(village=village, is_active=True).exists():
        raise ValidationError(_("The lead village must be one of the member villages."), code="lead_not_member")
    with transaction.atomic():
        cluster.lead_village = village
        save_audited(cluster, by=by, update_fields=["lead_village"])

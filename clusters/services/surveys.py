"""Consent (seed 000): forms handed out house by house in each member village, and the batches that came back.

Every figure is a rule that cannot be gamed: no more forms come back than went out, lowering the
forms handed out once forms came back needs a reason (and every change shows on the county's
review page and the cluster's timeline), and a batch is dated within the consultation.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import save_audited, void_record
from lianchun.scoping import require

from .. import consent, rules, selectors
from ..models import Cluster, ConsentBatch, ConsentSurvey, Status
from ..rules import can_manage

HANDED_OUT_STATUSES = frozenset({Status.PROPOSED, Status.CONSULTING, Status.RETURNED})


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


def _check_counts(survey: ConsentSurvey, counts: dict[str, int], *, excluding: ConsentBatch | None = None) -> None:
    """A batch's figures add up and, with the village's other batches, stay within the forms handed out."""
    consent.validate_batch(
        **counts, already_returned=_returned_so_far(survey, excluding=excluding), handed_out=survey.handed_out
    )


def set_forms_handed_out(*, survey: ConsentSurvey, handed_out: int, by: Any, reason: str = "") -> None:
    """How many consent forms went out in the village (house by house).

    Lowering the figure once forms have come back raises every village's rate: it needs a reason,
    which the county reads on its review page and in the cluster's timeline.
    """
    require(can_manage(by, survey.cluster))
    cluster = survey.cluster
    if cluster.status not in HANDED_OUT_STATUSES:
        _require_consent_open(cluster)
    if handed_out is None or handed_out < 0:
        raise ValidationError(_("Counts cannot be negative."), code="negative_count", params={"field": "handed_out"})
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked_survey(survey)
        returned = _returned_so_far(locked)
        if handed_out < returned:
            raise ValidationError(
                _("%(returned)s forms have already come back; no fewer can have been handed out."),
                code="handed_out_below_returned",
                params={"returned": returned, "field": "handed_out"},
            )
        if handed_out < locked.handed_out and returned and not reason:
            raise ValidationError(
                _(
                    "%(returned)s forms have already come back: lowering the forms handed out from %(old)s to "
                    "%(new)s raises the agree rate. Say why."
                ),
                code="reason_required",
                params={"returned": returned, "old": locked.handed_out, "new": handed_out, "field": "reason"},
            )
        locked.handed_out = handed_out
        save_audited(locked, by=by, reason=reason, update_fields=["handed_out"])
        survey.handed_out = handed_out


def check_batch_date(
    cluster: Cluster, batch_date: datetime.date | None, *, began: datetime.date | None = None
) -> datetime.date:
    """A batch is dated between the day consultation began (`began`, when the caller knows it) and today."""
    return rules.check_date(
        batch_date,
        field="batch_date",
        start=began or selectors.consultation_began(cluster),
        since=_("the day consultation began"),
        code="date_out_of_range",
    )


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
    check_batch_date(survey.cluster, batch_date)
    with transaction.atomic():
        locked = _locked_survey(survey)
        counts = {"returned": returned, "agree": agree, "disagree": disagree, "invalid": invalid}
        _check_counts(locked, counts)
        batch = ConsentBatch(
            survey=locked,
            batch_date=batch_date,
            **counts,
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
    if (batch.returned, batch.agree, batch.disagree, batch.invalid) == (returned, agree, disagree, invalid):
        return  # nothing to correct
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the batch is corrected."), code="reason_required", params={"field": "reason"})
    if batch.is_voided:
        raise ValidationError(_("This record is already voided."), code="already_voided")
    with transaction.atomic():
        locked = _locked_survey(survey)
        _check_counts(
            locked, {"returned": returned, "agree": agree, "disagree": disagree, "invalid": invalid}, excluding=batch
        )
        batch.returned, batch.agree, batch.disagree, batch.invalid = returned, agree, disagree, invalid
        save_audited(batch, by=by, reason=reason, update_fields=["returned", "agree", "disagree", "invalid"])


def void_consent_batch(*, batch: ConsentBatch, by: Any, reason: str) -> None:
    require(can_manage(by, batch.survey.cluster))
    _require_consent_open(batch.survey.cluster)
    void_record(batch, by=by, reason=reason)

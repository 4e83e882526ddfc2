"""The cluster's life cycle, declared once (seed 000, seed 004).

拟组建 → 征求意见 → 报县审核 → 已组建, or 退回修改 and back to 报县审核; the county office may
dissolve (已撤销) a cluster in any active state. The township takes the first steps, the county
office reviews. Submission (and approval, in case a tally changed underneath) needs every member
village to pass the consent rule; each step leaves a ClusterEvent with the opinion.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import clock
from lianchun.audit import save_audited
from lianchun.workflow import REQUIRED, Workflow, county_office, steps, township_cadre

from . import consent, forms, rules, selectors
from .models import ACTIVE_STATUSES, Cluster, ClusterEvent, Status


def record_event(cluster: Cluster, *, from_status: str, to_status: str, by: Any, opinion: str = "") -> ClusterEvent:
    event = ClusterEvent(
        cluster=cluster, from_status=from_status, to_status=to_status, by=by, at=clock.now(), opinion=opinion.strip()
    )
    event.save()
    return event


def _on_transition(cluster, *, transition, from_state, to_state, by, opinion) -> None:
    record_event(cluster, from_status=from_state, to_status=to_state, by=by, opinion=opinion)


def require_consent(cluster: Cluster, **_data: Any) -> None:
    """Every member village passes the consent rule; the refusal names each failing village."""
    failing = selectors.failing_villages(cluster)
    if failing:
        raise ValidationError(
            _(
                "The cluster cannot be submitted: at least %(threshold)s%% of the forms handed out must agree in "
                "every member village. %(villages)s."
            ),
            code="consent_not_reached",
            params={"threshold": consent.threshold(), "villages": selectors.failing_message(failing)},
        )


def require_opinions_answered(cluster: Cluster, **_data: Any) -> None:
    """Every opinion gathered in consultation is answered in the plan before the county reads it (DOMAIN.md)."""
    unanswered = selectors.unanswered_opinions(cluster)
    if unanswered:
        raise ValidationError(
            _(
                "The cluster cannot be submitted: %(count)s opinions gathered in consultation are not answered yet "
                "(%(opinions)s). Answer each one on the cluster's page first."
            ),
            code="opinions_unanswered",
            params={"count": len(unanswered), "opinions": selectors.opinions_message(unanswered)},
        )


def _submit_guard(cluster: Cluster, **data: Any) -> None:
    require_consent(cluster)
    require_opinions_answered(cluster)


def _consultation_guard(cluster: Cluster, *, by: Any, began_on=None, **_data: Any) -> None:
    if began_on is not None:
        rules.check_since_proposal(cluster, began_on, "began_on")


def _consultation_began(cluster: Cluster, *, by: Any, opinion: str, began_on=None, **_data: Any) -> list[str]:
    # The step is taken once (from 拟组建 only): batches are dated from this day on.
    cluster.consultation_began_on = began_on or clock.today()
    return ["consultation_began_on"]


def _approve_guard(cluster: Cluster, *, by: Any, established_on=None, **_data: Any) -> None:
    if established_on is not None:
        rules.check_date(
            established_on,
            field="established_on",
            start=selectors.submitted_on(cluster),
            since=_("the day it was submitted to the county"),
            code="date_out_of_range",
        )
    require_consent(cluster)


def _establish(cluster: Cluster, *, by: Any, opinion: str, established_on=None, **_data: Any) -> list[str]:
    cluster.established_on = established_on or clock.today()
    cluster.approved_at = clock.now()
    return ["established_on", "approved_at"]


def _dissolve_guard(cluster: Cluster, *, by: Any, dissolved_on=None, **_data: Any) -> None:
    if dissolved_on is not None:
        rules.check_date(
            dissolved_on,
            field="dissolved_on",
            start=cluster.established_on or cluster.proposed_on,
            since=_("the day it was established") if cluster.established_on else _("the day it was proposed"),
            code="date_out_of_range",
        )


def _dissolve(cluster: Cluster, *, by: Any, opinion: str, dissolved_on=None, **_data: Any) -> list[str]:
    """Memberships end with the date; the villages may then join another cluster."""
    cluster.dissolved_on = dissolved_on or clock.today()
    for membership in cluster.memberships.filter(is_active=True):
        membership.is_active = False
        membership.left_on = max(cluster.dissolved_on, membership.joined_on)
        save_audited(membership, by=by, reason=opinion, update_fields=["is_active", "left_on"])
    return ["dissolved_on"]


# The township keeps its own clusters; the county office of the cluster's county reviews them. Each
# step's page is named after it.
township_step = steps(pages="clusters:cluster-", who=township_cadre(), style="brand")
county_step = steps(pages="clusters:cluster-", who=county_office())

FLOW = Workflow(
    model=Cluster,
    initial={Status.PROPOSED},
    final={Status.DISSOLVED},
    on_transition=_on_transition,
    transitions=[
        township_step(
            "start_consultation",
            gettext_lazy("Start consultation"),
            {Status.PROPOSED},
            Status.CONSULTING,
            guard=_consultation_guard,
            effect=_consultation_began,
            form_class=forms.StartConsultationForm,
            success=gettext_lazy("Consultation started: record the consent forms of each village as they come back."),
            explanation=gettext_lazy(
                "Consent forms go out house by house; record each village's returned forms in batches."
            ),
        ),
        township_step(
            "submit",
            gettext_lazy("Submit to the county"),
            {Status.CONSULTING, Status.RETURNED},
            Status.SUBMITTED,
            guard=_submit_guard,
            success=gettext_lazy("The proposal was submitted to the county for review."),
            explanation=gettext_lazy(
                "Once submitted, the township cannot change the proposal until the county office returns or "
                "approves it. Every member village must pass the consent rule, and every opinion gathered in "
                "consultation must be answered."
            ),
        ),
        county_step(
            "approve",
            gettext_lazy("Approve"),
            {Status.SUBMITTED},
            Status.ESTABLISHED,
            guard=_approve_guard,
            effect=_establish,
            form_class=forms.ApproveForm,
            style="success",
            success=gettext_lazy("The cluster was approved and is now established."),
            explanation=gettext_lazy("Approval establishes the cluster; it cannot be undone, only dissolved later."),
        ),
        county_step(
            "return",
            gettext_lazy("Return"),
            {Status.SUBMITTED},
            Status.RETURNED,
            opinion=REQUIRED,
            style="warning",
            success=gettext_lazy("The proposal was returned to the township with your opinion."),
            explanation=gettext_lazy(
                "The township sees your opinion at the top of the cluster page and can submit again."
            ),
        ),
        county_step(
            "dissolve",
            gettext_lazy("Dissolve"),
            ACTIVE_STATUSES,
            Status.DISSOLVED,
            opinion=REQUIRED,
            guard=_dissolve_guard,
            effect=_dissolve,
            form_class=forms.DissolveForm,
            style="outline-danger",
            success=gettext_lazy("The cluster was dissolved; its villages may join another cluster."),
            explanation=gettext_lazy(
                "Dissolving ends every membership with the date; the records stay and the villages may then join "
                "another cluster. This cannot be undone."
            ),
        ),
    ],
)

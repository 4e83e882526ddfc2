"""Who may act on a cluster, and the dates a record's life allows: asked by the services and the workflow."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.refusals import check_within
from villages.models import Township

from .models import Cluster


def can_manage(user: Any, cluster: Cluster) -> bool:
    """The township keeps its own clusters (proposal, members, officers, tallies, documents)."""
    return bool(getattr(user, "is_township_cadre", False)) and cluster.township_id == user.township_id


def can_review(user: Any, cluster: Cluster) -> bool:
    """The county office of the cluster's county reviews, approves, returns and dissolves."""
    return bool(getattr(user, "is_county_office", False)) and cluster.township.county_id == user.county_id


def can_propose(user: Any, township: Township) -> bool:
    return bool(getattr(user, "is_township_cadre", False)) and township.pk == user.township_id


def check_date(
    value: datetime.date | None, *, field: str, start: datetime.date | None, since: str, code: str
) -> datetime.date:
    """Refuse a date outside [start, today], naming the allowed range and what `start` is; the error lands on `field`."""
    today = clock.today()
    if start is not None and start > today:
        start = today
    if start is None:
        message = _("The date must be no later than today (%(end)s).")
    else:
        message = _("The date must be between %(start)s (%(since)s) and today (%(end)s).")
    return check_within(value, start, today, message=message, field=field, too_early=code, since=since)


def check_since_proposal(cluster: Cluster, value: datetime.date | None, field: str) -> datetime.date:
    """A date of the consultation (its start, an opinion heard) lies between the proposal and today."""
    return check_date(
        value, field=field, start=cluster.proposed_on, since=_("the day it was proposed"), code="date_out_of_range"
    )

"""Cluster pages. Each fetches the scoped record first (404 outside the township), then checks the role
(403); edits go through `lianchun.editing.edit_record`, other posts through `attempt`, and life-cycle
steps through `lianchun.views.TransitionView` (see `clusters.urls`)."""

from .clusters import (
    cluster_detail,
    cluster_edit,
    cluster_list,
    cluster_members,
    cluster_officers,
    cluster_propose,
    coverage,
    model_charter,
    officer_edit,
    officer_void,
    review_queue,
    transition_context,
)
from .consent import (
    batch_correct,
    batch_void,
    opinion_add,
    opinion_answer,
    survey_batch_add,
    survey_detail,
    survey_handed_out,
)

__all__ = [
    "batch_correct",
    "batch_void",
    "cluster_detail",
    "cluster_edit",
    "cluster_list",
    "cluster_members",
    "cluster_officers",
    "cluster_propose",
    "coverage",
    "model_charter",
    "officer_edit",
    "officer_void",
    "opinion_add",
    "opinion_answer",
    "review_queue",
    "survey_batch_add",
    "survey_detail",
    "survey_handed_out",
    "transition_context",
]

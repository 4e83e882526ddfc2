"""Writes to clusters, one module per seam: the life cycle, the member villages, consent, the cluster's records.

Every write checks the rule and the actor, saves through `save_audited` in one transaction and
raises a coded `ValidationError` naming its field; life-cycle steps go through `clusters.workflows.FLOW`.
"""

from ..rules import can_manage, can_propose, can_review
from ..selectors import failing_villages, member_tallies
from .lifecycle import (
    approve_cluster,
    dissolve_cluster,
    latest_return_opinion,
    propose_cluster,
    return_cluster,
    start_consultation,
    submit_cluster,
)
from .membership import (
    URBAN_RURAL_MAX_VILLAGES,
    URBAN_RURAL_MIN_VILLAGES,
    add_member,
    remove_member,
    set_lead_village,
)
from .records import (
    DEFAULT_MODEL_CHARTER,
    DETAIL_FIELDS,
    DOCUMENT_FIELDS,
    OFFICER_FIELDS,
    add_officer,
    answer_opinion,
    model_charter_text,
    record_opinion,
    update_cluster_details,
    update_cluster_documents,
    update_model_charter,
    update_officer,
    void_officer,
)
from .surveys import (
    check_batch_date,
    correct_consent_batch,
    record_consent_batch,
    set_forms_handed_out,
    void_consent_batch,
)

__all__ = [
    "DEFAULT_MODEL_CHARTER",
    "DETAIL_FIELDS",
    "DOCUMENT_FIELDS",
    "OFFICER_FIELDS",
    "URBAN_RURAL_MAX_VILLAGES",
    "URBAN_RURAL_MIN_VILLAGES",
    "add_member",
    "add_officer",
    "answer_opinion",
    "approve_cluster",
    "can_manage",
    "can_propose",
    "can_review",
    "check_batch_date",
    "correct_consent_batch",
    "dissolve_cluster",
    "failing_villages",
    "latest_return_opinion",
    "member_tallies",
    "model_charter_text",
    "propose_cluster",
    "record_consent_batch",
    "record_opinion",
    "remove_member",
    "return_cluster",
    "set_forms_handed_out",
    "set_lead_village",
    "start_consultation",
    "submit_cluster",
    "update_cluster_details",
    "update_cluster_documents",
    "update_model_charter",
    "update_officer",
    "void_consent_batch",
    "void_officer",
]

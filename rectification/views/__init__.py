"""Pages of the rectification app: plans and their steps, and the 三本台账."""

from .ledgers import entry_create, entry_edit, entry_void, ledger_overview, ledger_settings, ledger_village
from .plans import (
    item_create,
    item_edit,
    item_progress,
    item_remove,
    overview,
    plan_create,
    plan_detail,
    plan_edit,
    plan_list,
)
from .steps import plan_advise, plan_propose, plan_review, plan_stage, plan_void

__all__ = [
    "entry_create",
    "entry_edit",
    "entry_void",
    "item_create",
    "item_edit",
    "item_progress",
    "item_remove",
    "ledger_overview",
    "ledger_settings",
    "ledger_village",
    "overview",
    "plan_advise",
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_list",
    "plan_propose",
    "plan_review",
    "plan_stage",
    "plan_void",
]

"""Writes to the 三本台账 (seed 003): a township keeps its villages' ledgers; the county office keeps
the county's ledgers and its list of handling methods. Totals are always counted, never typed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lianchun.audit import save_audited, void_record
from lianchun.changes import assign_changes
from lianchun.scoping import require
from villages.models import Village

from ..models import HandlingMethod, LedgerEntry, LedgerKind
from .common import can_configure_ledgers, can_keep_ledger, field_error, refuse

ENTRY_FIELDS = ["kind", "source", "collected_on", "summary", "owner", "handling", "status", "solved_on"]
STANDARD_KINDS = [
    (LedgerKind.Standard.LIVELIHOOD, "民生台账", 10),
    (LedgerKind.Standard.STABILITY, "稳定台账", 20),
    (LedgerKind.Standard.HARDSHIP, "困难群众台账", 30),
]
STANDARD_HANDLING = ["一事一议", "挂包帮", "低保", "五保", "临时救助", "医疗救助", "新农合", "部门协调", "上报上级"]
_STANDARD_KINDS = {code for code, _name, _order in STANDARD_KINDS}


def ensure_county_lists(county: Any) -> None:
    """Give a county the standard ledgers and handling methods the first time it needs them."""
    if not LedgerKind.objects.filter(county=county, standard__in=_STANDARD_KINDS).exists():
        with transaction.atomic():
            for code, name, order in STANDARD_KINDS:
                if not LedgerKind.objects.filter(county=county, standard=code).exists():
                    save_audited(LedgerKind(county=county, name=name, standard=code, order=order), by=None)
    if not HandlingMethod.objects.filter(county=county).exists():
        with transaction.atomic():
            for order, name in enumerate(STANDARD_HANDLING, start=1):
                save_audited(HandlingMethod(county=county, name=name, order=order * 10), by=None)


def _list_name(*, county: Any, by: Any, name: str, missing: str) -> str:
    """The county office keeps the county's lists; a new entry needs a name."""
    require(can_configure_ledgers(by) and by.county_id == county.pk)
    name = (name or "").strip()
    if not name:
        raise field_error("name", missing, "name_required")
    return name


def _append_to_list(model: type, *, county: Any, by: Any, name: str, reason: str) -> Any:
    """Add an entry at the end of one of the county's ordered lists (ledger kinds, handling methods)."""
    last = model.objects.filter(county=county).order_by("-order").first()
    entry = model(county=county, name=name, order=(last.order if last else 0) + 10)
    entry.full_clean(validate_constraints=False)
    save_audited(entry, by=by, reason=reason)
    return entry


def add_ledger_kind(*, county: Any, by: Any, name: str) -> LedgerKind:
    name = _list_name(county=county, by=by, name=name, missing=_("Give the ledger a name."))
    with transaction.atomic():
        if LedgerKind.objects.filter(county=county, name=name).exists():
            raise field_error("name", _("This county already has a ledger of that name."), "duplicate_name")
        return _append_to_list(LedgerKind, county=county, by=by, name=name, reason=_("Ledger added"))


def add_handling_method(*, county: Any, by: Any, name: str) -> HandlingMethod:
    name = _list_name(county=county, by=by, name=name, missing=_("Give the handling method a name."))
    with transaction.atomic():
        existing = HandlingMethod.objects.filter(county=county, name=name).first()
        if existing is not None:
            if existing.is_active:
                raise field_error("name", _("This handling method is already on the list."), "duplicate_name")
            existing.is_active = True
            save_audited(existing, by=by, reason=_("Back in use"), update_fields=["is_active"])
            return existing
        return _append_to_list(HandlingMethod, county=county, by=by, name=name, reason=_("Handling method added"))


def set_handling_method_in_use(*, method: HandlingMethod, by: Any, is_active: bool) -> None:
    """Take a method off the list (entries that used it keep it) or put it back."""
    require(can_configure_ledgers(by) and by.county_id == method.county_id)
    if method.is_active == is_active:
        return
    with transaction.atomic():
        method.is_active = is_active
        save_audited(method, by=by, reason=_("In use") if is_active else _("Out of use"), update_fields=["is_active"])


def _check_entry_lists(entry: LedgerEntry, county_id: int, *, previous_handling_id: int | None = None) -> None:
    if entry.kind.county_id != county_id:
        raise field_error("kind", _("Choose one of the county's ledgers."), "wrong_county")
    if entry.handling_id is not None:
        handling = entry.handling
        if handling.county_id != county_id or (not handling.is_active and handling.pk != previous_handling_id):
            raise field_error("handling", _("Choose a handling method on the county's list."), "wrong_handling")


def create_ledger_entry(*, village: Village, by: Any, **fields: Any) -> LedgerEntry:
    require(can_keep_ledger(by, village))
    # A day solved typed beside 正在解决 is refused on its field by the model's rule, not dropped without a word.
    entry = LedgerEntry(village=village, recorded_by=by, **{name: fields.get(name) for name in ENTRY_FIELDS})
    _check_entry_lists(entry, village.township.county_id)
    entry.full_clean(exclude=["village", "recorded_by"], validate_constraints=False)
    with transaction.atomic():
        save_audited(entry, by=by, reason=_("Matter recorded"))
    return entry


def update_ledger_entry(*, entry: LedgerEntry, by: Any, **fields: Any) -> list[str]:
    require(can_keep_ledger(by, entry.village))
    if entry.is_voided:
        raise refuse(_("A voided entry cannot be changed."), "voided")
    previous_handling = entry.handling_id
    if fields.get("status") == LedgerEntry.Status.IN_PROGRESS:
        if entry.status == LedgerEntry.Status.SOLVED and fields.get("solved_on") in (None, entry.solved_on):
            fields["solved_on"] = None  # a solved matter reopened: the day it was solved no longer holds
    changed = assign_changes(entry, fields, ENTRY_FIELDS)
    if not changed:
        return []
    with transaction.atomic():
        _check_entry_lists(entry, entry.village.township.county_id, previous_handling_id=previous_handling)
        entry.full_clean(exclude=["village", "recorded_by"], validate_constraints=False)
        save_audited(entry, by=by, reason=_("Matter updated"), update_fields=changed)
    return changed


def void_ledger_entry(*, entry: LedgerEntry, by: Any, reason: str) -> None:
    require(can_keep_ledger(by, entry.village))
    void_record(entry, by=by, reason=reason)

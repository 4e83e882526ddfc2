"""The shared workflow: one function moves a record, checking reach, role, state, opinion and guard."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from lianchun.workflow import OPTIONAL, REGISTRY, REQUIRED, Actors, Transition, Workflow, steps
from villages.models import Standing, Village

EVENTS: list[tuple[str, str, str]] = []


def _refuse_small(record, *, by, **data):
    if record.households < 10:
        raise ValidationError("too small", code="too_small")


def _note_event(record, *, transition, from_state, to_state, by, opinion):
    EVENTS.append((transition.name, from_state, to_state))


FLOW = Workflow(
    model=Village,
    field="standing",
    register=False,
    initial={Standing.AVERAGE},
    final={Standing.ADVANCED},
    on_transition=_note_event,
    transitions=[
        Transition("demote", "demote", {Standing.AVERAGE}, Standing.LAGGING, roles={Role.TOWNSHIP_CADRE}),
        Transition(
            "promote",
            "promote",
            {Standing.LAGGING},
            Standing.ADVANCED,
            roles={Role.COUNTY_OFFICE},
            opinion=REQUIRED,
            guard=_refuse_small,
        ),
    ],
)


@pytest.fixture(autouse=True)
def _clear_events():
    EVENTS.clear()


def test_perform_moves_saves_audits_and_records_the_event(village_a, cadre_a):
    FLOW.perform(village_a, "demote", by=cadre_a, opinion="落后")
    assert village_a.standing == Standing.LAGGING
    village_a.refresh_from_db()
    assert village_a.standing == Standing.LAGGING
    row = village_a.history.order_by("-history_id").first()
    assert (row.history_user, row.history_change_reason) == (cadre_a, "落后")
    assert EVENTS == [("demote", Standing.AVERAGE, Standing.LAGGING)]


def test_another_township_cannot_move_the_record(village_a, cadre_b):
    with pytest.raises(PermissionDenied):
        FLOW.perform(village_a, "demote", by=cadre_b)
    village_a.refresh_from_db()
    assert village_a.standing == Standing.AVERAGE


def test_wrong_role_and_wrong_state_are_refused_with_codes(village_a, cadre_a, county_office):
    with pytest.raises(PermissionDenied):
        FLOW.perform(village_a, "promote", by=cadre_a, opinion="x")
    with pytest.raises(ValidationError) as refused:
        FLOW.perform(village_a, "promote", by=county_office, opinion="x")
    assert refused.value.code == "wrong_state"
    assert "一般" in refused.value.messages[0] or "average" in refused.value.messages[0].lower()


def test_required_opinion_lands_on_the_opinion_field_and_guard_refuses(village_a, cadre_a, county_office):
    FLOW.perform(village_a, "demote", by=cadre_a)
    with pytest.raises(ValidationError) as missing:
        FLOW.perform(village_a, "promote", by=county_office, opinion="  ")
    assert "opinion" in missing.value.error_dict
    village_a.households = 3
    village_a.save()
    with pytest.raises(ValidationError) as guarded:
        FLOW.perform(village_a, "promote", by=county_office, opinion="好")
    assert guarded.value.code == "too_small"
    assert Village.objects.get(pk=village_a.pk).standing == Standing.LAGGING


def test_available_lists_only_the_users_steps(village_a, cadre_a, county_office):
    assert [t.name for t in FLOW.available(village_a, cadre_a)] == ["demote"]
    assert FLOW.available(village_a, county_office) == []


def test_actors_give_a_step_its_roles_and_its_check(village_a, village_b, cadre_a):
    """`who=Actors(roles, check)` narrows a step as `roles=` and `check=` do; giving both is refused."""
    own_township = Actors({Role.TOWNSHIP_CADRE}, lambda user, village: village.township_id == user.township_id)
    step = Transition("demote", "demote", {Standing.AVERAGE}, Standing.LAGGING, who=own_township)
    assert step.roles == {Role.TOWNSHIP_CADRE}
    assert step.allows(cadre_a, village_a)
    assert not step.allows(cadre_a, village_b)
    with pytest.raises(ValueError, match="not both"):
        Transition(
            "demote", "demote", {Standing.AVERAGE}, Standing.LAGGING, roles={Role.COUNTY_OFFICE}, who=own_township
        )


def test_a_family_of_steps_shares_its_declaration_and_each_step_keeps_its_own():
    """`steps(...)` gives every step what the family shares; a step's own argument wins; `pages` names the page."""
    demote = steps(pages="villages:village-", roles={Role.TOWNSHIP_CADRE}, opinion=REQUIRED)
    plain = demote("demote", "demote", {Standing.AVERAGE}, Standing.LAGGING)
    own = demote("step_down", "demote", {Standing.AVERAGE}, Standing.LAGGING, opinion=OPTIONAL, url_name="x:y")
    assert (plain.roles, plain.opinion, plain.url_name) == ({Role.TOWNSHIP_CADRE}, REQUIRED, "villages:village-demote")
    assert (own.roles, own.opinion, own.url_name) == ({Role.TOWNSHIP_CADRE}, OPTIONAL, "x:y")


def test_steps_that_start_from_the_same_states_declare_them_once():
    verdict = steps(roles={Role.COUNTY_OFFICE}, sources={Standing.AVERAGE})
    down = verdict("demote", "demote", target=Standing.LAGGING)
    up = verdict("promote", "promote", target=Standing.ADVANCED)
    assert (down.sources, down.target) == ({Standing.AVERAGE}, Standing.LAGGING)
    assert (up.sources, up.target) == ({Standing.AVERAGE}, Standing.ADVANCED)
    # A step's own sources win over the family's.
    assert verdict("raise", "raise", {Standing.LAGGING}, Standing.AVERAGE).sources == {Standing.LAGGING}


def test_a_workflow_guard_refuses_every_step_before_the_steps_own(village_a, cadre_a):
    def small_villages_only(record, *, by, **data):
        if record.households >= 10:
            raise ValidationError("too big", code="too_big")

    guarded = dataclasses.replace(FLOW, guard=small_villages_only)  # the table above, every step guarded
    with pytest.raises(ValidationError) as refused:
        guarded.perform(village_a, "demote", by=cadre_a)
    assert refused.value.code == "too_big"
    village_a.refresh_from_db()
    assert village_a.standing == Standing.AVERAGE


def test_the_table_walk_finds_a_stuck_state():
    assert FLOW.reachable() == {Standing.AVERAGE, Standing.LAGGING, Standing.ADVANCED}
    assert FLOW.stuck_states() == set()
    stuck = Workflow(
        model=Village,
        field="standing",
        register=False,
        initial={Standing.AVERAGE},
        transitions=[Transition("demote", "demote", {Standing.AVERAGE}, Standing.LAGGING, roles={Role.TOWNSHIP_CADRE})],
    )
    assert stuck.stuck_states() == {
        Standing.LAGGING,
    }


@pytest.mark.parametrize("label", sorted(REGISTRY))
def test_every_declared_workflow_moves_on_from_every_reachable_state(label):
    flow = REGISTRY[label]
    assert flow.initial, f"{label} declares no initial state"
    assert flow.stuck_states() == set(), f"{label}: no role can move these states on"
    assert flow.reachable() >= flow.final, f"{label}: a final state cannot be reached"

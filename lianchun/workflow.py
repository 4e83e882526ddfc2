"""Life cycles declared once: which transitions a record has, who may take them, and one way to take them.

Every record with a life cycle (clusters, weekly reports, rectification plans and their stages,
四议两公开 decisions, meeting issues) declares a `Workflow`: a table of `Transition`s, each with the
states it starts from, the state it leads to, the roles that may take it, a guard (a domain rule
such as "every member village passes the consent rule"), and whether an opinion is required.

`Workflow.perform` is the only code that moves a record: it locks the row (through the scoping
helper, so a record outside the actor's reach cannot be moved), checks the role, the state, the
opinion and the guard, saves with `save_audited`, records the event, and raises a coded Chinese
`ValidationError` when refused. Templates ask `Workflow.available(record, user)` (the
`{% transitions %}` tag) instead of comparing status strings, and every transition is served by
`lianchun.views.TransitionView`. The workflow-table walk in the tests proves that every reachable
state has a role that can move it on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext as _

from .audit import save_audited
from .editing import clean_text
from .scoping import in_users_county, in_users_township, scope_queryset

REQUIRED = "required"
OPTIONAL = "optional"
NONE = "none"

# Sent after a step is saved, inside its transaction: sender is the model; record, transition,
# from_state, to_state, by and opinion are given. Notifications and reminders listen to it.
transitioned = Signal()

# Every declared workflow, by model label ("clusters.cluster"), for the walk and the template tag.
REGISTRY: dict[str, Workflow] = {}


@dataclass(frozen=True)
class Actors:
    """Who may take a step: the `roles`, narrowed by `check(user, record)` (the record's own
    township; the county office of the record's county). Declared once per workflow and named,
    so the steps that the same people take say so with `who=`."""

    roles: frozenset[str]
    check: Callable[[Any, Any], bool] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))


def township_cadre() -> Actors:
    """The township cadres of the record's own township: most records' keepers."""
    from accounts.models import Role

    return Actors({Role.TOWNSHIP_CADRE}, in_users_township)


def county_office() -> Actors:
    """The county office of the record's own county: most records' reviewers."""
    from accounts.models import Role

    return Actors({Role.COUNTY_OFFICE}, in_users_county)


@dataclass(frozen=True)
class Transition:
    """One step of a life cycle: from `sources` to `target`, taken by `roles`.

    `target` is a state, or a callable `(record) -> state` where the next state depends on the
    record (a returned report is resubmitted, a fresh one submitted). `check(user, record)` narrows
    who may beyond the role (the cluster's own township; the county that owns it); `who=Actors(...)`
    gives both at once. `guard(record,
    by=..., **data)` raises `ValidationError` when a domain rule refuses the step. `effect(record,
    by=..., opinion=..., **data)` sets the fields the step changes besides the state and returns
    their names. `form_class` asks for the step's own fields (an establishment date); `url_name`
    is the page that confirms and performs it.
    """

    name: str
    label: Any
    sources: frozenset[str]
    target: str | Callable[[Any], str]
    roles: frozenset[str] = frozenset()
    check: Callable[[Any, Any], bool] | None = None
    guard: Callable[..., None] | None = None
    effect: Callable[..., Iterable[str] | None] | None = None
    opinion: str = OPTIONAL
    form_class: Any = None
    url_name: str | None = None
    style: str = "primary"
    success: Any = ""
    explanation: Any = ""
    who: Actors | None = None

    def __post_init__(self) -> None:
        if self.who is not None:
            if self.roles or self.check is not None:
                raise ValueError(f"{self.name}: give who= or roles=/check=, not both")
            object.__setattr__(self, "roles", self.who.roles)
            object.__setattr__(self, "check", self.who.check)
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "roles", frozenset(self.roles))
        if self.opinion not in {REQUIRED, OPTIONAL, NONE}:
            raise ValueError(f"{self.name}: opinion must be required, optional or none")

    def target_for(self, record: Any) -> str:
        return self.target(record) if callable(self.target) else self.target

    def targets(self) -> frozenset[str]:
        """The states this step can lead to, for the walk (a callable target declares `possible_targets`)."""
        if callable(self.target):
            return frozenset(getattr(self.target, "possible_targets", ()))
        return frozenset({self.target})

    def allows(self, user: Any, record: Any) -> bool:
        """May `user` take this step on `record` (which the caller has already fetched through scoping)?"""
        if not getattr(user, "is_active", False) or getattr(user, "role", None) not in self.roles:
            return False
        return self.check is None or bool(self.check(user, record))

    def url_for(self, record: Any) -> str:
        return reverse(self.url_name, args=[record.pk]) if self.url_name else ""


def steps(*, pages: str = "", **shared: Any) -> Callable[..., Transition]:
    """Declare once what a family of steps shares, and get the function that declares each step.

    `shared` holds any `Transition` argument the steps have in common (`who=`, `opinion=`, the
    guard, the form, the page, the `sources=` of steps that all start from the same states); each
    step gives its name, label, sources (unless shared) and target, and what is its own, which wins
    over the shared. `pages="app:record-"` names each step's page after the step
    (`"app:record-close-out"` for `close_out`), as `Workflow.urlpatterns` names its path.

        respond = steps(who=county_office(), sources=AWAITING_ANSWER_STATES, opinion=REQUIRED)
        respond("answer", gettext_lazy("Send the answer"), target=State.ANSWERED, style="success")
    """

    def step(name: str, label: Any, sources: Iterable[str] | None = None, target: Any = None, **own: Any) -> Transition:
        if pages:
            own.setdefault("url_name", pages + name.replace("_", "-"))
        declared = {**shared, **own}
        if sources is not None:
            declared["sources"] = sources
        if target is not None:
            declared["target"] = target
        return Transition(name, label, **declared)

    return step


@dataclass
class Workflow:
    """The declared life cycle of one model; `field` holds its state.

    `guard(record, by=..., **data)` is a rule every step checks before its own guard (a voided
    plan takes no step).
    """

    model: type[models.Model]
    transitions: list[Transition]
    field: str = "status"
    initial: frozenset[str] = frozenset()
    final: frozenset[str] = frozenset()
    on_transition: Callable[..., None] | None = None
    guard: Callable[..., None] | None = None
    register: bool = True
    by_name: dict[str, Transition] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.initial = frozenset(self.initial)
        self.final = frozenset(self.final)
        self.by_name = {}
        for transition in self.transitions:
            if transition.name in self.by_name:
                raise ValueError(f"{self.model.__name__}: transition {transition.name!r} declared twice")
            self.by_name[transition.name] = transition
        if self.register:
            REGISTRY[self.model._meta.label_lower] = self

    def __getitem__(self, name: str) -> Transition:
        return self.by_name[name]

    def state_of(self, record: Any) -> str:
        return getattr(record, self.field)

    def state_label(self, state: str) -> str:
        choices = dict(self.model._meta.get_field(self.field).flatchoices)
        return str(choices.get(state, state))

    def available(self, record: Any, user: Any) -> list[Transition]:
        """The steps `user` may take on `record` now (guards are checked when the step is taken)."""
        state = self.state_of(record)
        return [t for t in self.transitions if state in t.sources and t.allows(user, record)]

    def can(self, record: Any, user: Any, name: str) -> bool:
        transition = self.by_name[name]
        return self.state_of(record) in transition.sources and transition.allows(user, record)

    def _lock(self, record: Any, by: Any) -> Any:
        manager = self.model._base_manager
        queryset = manager.select_for_update(of=("self",)) if _locks_rows() else manager.all()
        locked = scope_queryset(queryset, by).filter(pk=record.pk).first()
        if locked is None:
            raise PermissionDenied(_("Your role may not do this."))
        return locked

    def perform(self, record: Any, name: str, *, by: Any, opinion: str = "", **data: Any) -> Any:
        """Take step `name` on `record` for `by`, or refuse with a coded error; nothing half-done.

        The record passed in is brought up to date with what was saved.
        """
        transition = self.by_name[name]
        opinion = clean_text(opinion or "").strip()
        with transaction.atomic():
            locked = self._lock(record, by)
            if not transition.allows(by, locked):
                raise PermissionDenied(_("Your role may not do this."))
            current = self.state_of(locked)
            if current not in transition.sources:
                raise ValidationError(
                    _("This record is “%(state)s”: “%(action)s” is not possible now."),
                    code="wrong_state",
                    params={"state": self.state_label(current), "action": transition.label},
                )
            if transition.opinion == REQUIRED and not opinion:
                raise ValidationError(
                    {"opinion": ValidationError(_("Write an opinion for this step."), code="opinion_required")}
                )
            for guard in (self.guard, transition.guard):
                if guard is not None:
                    guard(locked, by=by, **data)
            changed = []
            if transition.effect is not None:
                changed = list(transition.effect(locked, by=by, opinion=opinion, **data) or [])
            target = transition.target_for(locked)
            setattr(locked, self.field, target)
            save_audited(locked, by=by, reason=opinion or str(transition.label), update_fields=[self.field, *changed])
            event = {"transition": transition, "from_state": current, "to_state": target, "by": by, "opinion": opinion}
            if self.on_transition is not None:
                self.on_transition(locked, **event)
            transitioned.send(sender=self.model, record=locked, **event)
        for name_ in [self.field, *changed]:
            model_field = self.model._meta.get_field(name_)
            setattr(record, model_field.attname, getattr(locked, model_field.attname))
        return locked

    def urlpatterns(self, **view_kwargs: Any) -> list:
        """One `<int:pk>/<step>/` path per step that names its page, served by `TransitionView`.

        The path is the step's name with dashes, the URL name the declared `url_name` (without its
        namespace), so a step's page is declared once, in the table. `view_kwargs` go to every
        step's view (the template, the page's own context).
        """
        from django.urls import path

        from .views import TransitionView

        return [
            path(
                f"<int:pk>/{transition.name.replace('_', '-')}/",
                TransitionView.as_view(flow=self, transition=transition.name, **view_kwargs),
                name=transition.url_name.rpartition(":")[2],
            )
            for transition in self.transitions
            if transition.url_name
        ]

    # --- the table itself, for the walk ------------------------------------------------------------

    def states(self) -> frozenset[str]:
        return frozenset(value for value, _label in self.model._meta.get_field(self.field).flatchoices)

    def reachable(self) -> frozenset[str]:
        seen = set(self.initial)
        frontier = list(self.initial)
        while frontier:
            state = frontier.pop()
            for transition in self.transitions:
                if state in transition.sources:
                    for target in transition.targets() - seen:
                        seen.add(target)
                        frontier.append(target)
        return frozenset(seen)

    def stuck_states(self) -> frozenset[str]:
        """Reachable states that are not final and that no role can move on: each is a bug."""
        return frozenset(
            state
            for state in self.reachable() - self.final
            if not any(state in t.sources and t.roles for t in self.transitions)
        )


def _locks_rows() -> bool:
    from django.db import connection

    return connection.features.has_select_for_update_of


def workflow_of(record_or_model: Any) -> Workflow | None:
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    return REGISTRY.get(model._meta.label_lower)

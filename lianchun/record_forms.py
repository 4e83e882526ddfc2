"""The form page about one record, declared once instead of written out in each app.

Most pages that write hang off one record: a finding off its visit, the minutes off their meeting,
a correction off its batch. Each such page does the same five things: find the record the URL names
(`fetch(request, pk)`: another township's record is a 404, a wrong role a 403), show the form, call
the service with the record and the user (`service(<name>=record, by=user, **cleaned data)`), put a
refusal on the form, then say what was done and go on. `RecordForm` declares what differs (the
record's getter and name, the form, the service, the template, the message) and `view()` is the page:

    MEETING = RecordForm(_managed_meeting, "meeting")
    meeting_void = MEETING.form(
        VoidForm, services.void_meeting, template="meetings/meeting_void.html", success=gettext_lazy("...")
    ).view("<int:pk>/void/", "meeting-void")

`edit=True` makes it the edit of the record itself (`edit_record`: a stale save is refused); else the
post goes through `form_page`. `post_view()` is the same form posted from another page (a void
button in a list): no page of its own, a refusal said as a message, and back either way. Messages
are declared at import, so they are lazy (`gettext_lazy`) or callables of what the service returned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .editing import attempt, edit_record, form_page
from .routing import route


def post_then_back(request, form, action, *, success, back):
    """A small post from another page (void, add a member): run it through `attempt`, say how it went, go back."""
    outcome = attempt(form, action)
    if outcome.ok:
        messages.success(request, success(outcome.value) if callable(success) else success)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(back)


@dataclass(frozen=True)
class RecordForm:
    """A form page about the record `fetch(request, pk)` finds, which the service and the template call `name`.

    `parent` names the record the page sits under (an indicator's scheme): the template shows it by
    that name, and a saved post goes back to it. `form_kwargs(record)` and `initial(record)` give the
    form what it needs; `redirect_to(record)` is where a saved post goes (by default: see `back`);
    `context` is what else the template shows (a mapping, or a callable of the record). `refused(request,
    record)` closes the page for a record that cannot take this form now (a locked plan): it answers
    where to go instead, having said why, or None.
    """

    fetch: Callable[[Any, int], Any]
    name: str
    form_class: type | None = None
    service: Callable[..., Any] | None = None
    template: str = ""
    success: Any = None
    redirect_to: Callable[[Any], Any] | None = None
    context: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] = field(default_factory=dict)
    form_kwargs: Callable[[Any], Mapping[str, Any]] | None = None
    initial: Callable[[Any], Mapping[str, Any]] | None = None
    edit: bool = False
    parent: str | None = None
    refused: Callable[[Any, Any], Any] | None = None

    def form(self, form_class: type, service: Callable[..., Any], **changes: Any) -> RecordForm:
        """This declaration for one more page on the same kind of record (`changes` are its own fields)."""
        return dataclasses.replace(self, form_class=form_class, service=service, **changes)

    def action(self, request, record) -> Callable[[dict[str, Any]], Any]:
        """What a valid post does: the service, given the record and the user."""
        return lambda data: self.service(**{self.name: record}, by=request.user, **data)

    def back(self, record) -> Any:
        """Where a saved post goes: `redirect_to(record)`, else the parent, else the record an edit saved,
        or what a creation returned (the record itself when the service returns nothing, as a void does)."""
        if self.redirect_to is not None:
            return self.redirect_to(record)
        if self.parent:
            return getattr(record, self.parent)
        return record if self.edit else lambda value: record if value is None else value

    def page(self, request, pk: int):
        record = self.fetch(request, pk)
        refusal = self.refused(request, record) if self.refused else None
        if refusal is not None:
            return refusal
        context = {self.name: record}
        if self.parent:
            context[self.parent] = getattr(record, self.parent)
        context.update(self.context(record) if callable(self.context) else self.context)
        form_kwargs = dict(self.form_kwargs(record)) if self.form_kwargs else {}
        initial = dict(self.initial(record)) if self.initial else None
        redirect_to = self.back(record)
        action = self.action(request, record)

        if self.edit:
            return edit_record(
                request,
                record=record,
                form_class=self.form_class,
                save=action,
                template=self.template,
                context=context,
                initial=initial,
                form_kwargs=form_kwargs,
                success=self.success,
                redirect_to=redirect_to,
            )
        form = self.form_class(request.POST or None, initial=initial, **form_kwargs)
        return form_page(
            request,
            form,
            action,
            template=self.template,
            success=self.success,
            redirect_to=redirect_to,
            context=context,
        )

    def view(self, url: str, name: str) -> Callable[..., Any]:
        """The page as a view at `url` (with `<int:pk>`), the URL named `name`."""

        def view(request, pk: int):
            return self.page(request, pk)

        return route(url, name=name)(view)

    def post_view(self, url: str, name: str) -> Callable[..., Any]:
        """The form posted from another page at `url` (POST only), back to `redirect_to(record)` either way."""

        @require_POST
        def view(request, pk: int):
            record = self.fetch(request, pk)
            form_kwargs = dict(self.form_kwargs(record)) if self.form_kwargs else {}
            form = self.form_class(request.POST, **form_kwargs)
            back = self.back(record)
            back = record if callable(back) else back  # refused or not, the post goes back to a page
            return post_then_back(request, form, self.action(request, record), success=self.success, back=back)

        return route(url, name=name)(view)

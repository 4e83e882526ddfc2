"""Templates ask a record which steps this user may take now, instead of comparing status strings."""

from __future__ import annotations

from typing import Any

from django import template

from lianchun.workflow import workflow_of

register = template.Library()


@register.simple_tag(takes_context=True)
def transitions(context: dict[str, Any], record: Any) -> list[dict[str, Any]]:
    """`{% transitions record as steps %}`: each step the user may take, with its confirmation page."""
    flow = workflow_of(record)
    request = context.get("request")
    if flow is None or request is None:
        return []
    return [{"transition": t, "url": t.url_for(record)} for t in flow.available(record, request.user)]


@register.simple_tag(takes_context=True)
def can_transition(context: dict[str, Any], record: Any, name: str) -> bool:
    """`{% can_transition record "submit" as can_submit %}`: may the user take this one step now?"""
    flow = workflow_of(record)
    request = context.get("request")
    return bool(flow and request and flow.can(record, request.user, name))

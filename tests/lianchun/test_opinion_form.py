"""A step's own form may name its opinion field; the declared table still says whether it is required."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext

from accounts.models import Role
from lianchun.views import opinion_form_for
from lianchun.workflow import NONE, OPTIONAL, REQUIRED, Transition


class AdviceForm(forms.Form):
    opinion = forms.CharField(label="Advice of the department", required=False)


def step(opinion: str, form_class=None) -> Transition:
    return Transition(
        "advise", "advise", {"a"}, "b", roles={Role.ORG_DEPARTMENT}, opinion=opinion, form_class=form_class
    )


def test_a_declared_opinion_keeps_its_label_and_follows_the_table():
    required = opinion_form_for(step(REQUIRED, AdviceForm))()
    assert required.fields["opinion"].label == "Advice of the department"
    assert required.fields["opinion"].required
    assert not opinion_form_for(step(OPTIONAL, AdviceForm))().fields["opinion"].required
    assert not AdviceForm.base_fields["opinion"].required  # the step's own form is not changed


def test_without_a_declared_opinion_the_step_gets_the_shared_field():
    form = opinion_form_for(step(REQUIRED))()
    assert form.fields["opinion"].required and str(form.fields["opinion"].label) == gettext("Opinion")
    assert "opinion" not in opinion_form_for(step(NONE, forms.Form))().fields

"""A step's own form may name its opinion field; the declaration still decides whether it is required."""

from __future__ import annotations

from django import forms

from lianchun.views import OpinionForm, opinion_form_for
from lianchun.workflow import OPTIONAL, REQUIRED, Transition


class AnswerForm(OpinionForm):
    opinion = forms.CharField(label="县里的答复", required=False, widget=forms.Textarea(attrs={"rows": 5}))


def _step(**kwargs) -> Transition:
    return Transition("answer", "答复", {"a"}, "b", roles={"r"}, **kwargs)


def test_a_steps_own_opinion_label_is_kept_and_the_declaration_decides_required():
    form = opinion_form_for(_step(opinion=REQUIRED, form_class=AnswerForm))()
    assert form.fields["opinion"].label == "县里的答复"
    assert form.fields["opinion"].required
    assert form.fields["opinion"].widget.attrs["rows"] == 5
    assert not AnswerForm.base_fields["opinion"].required  # the step's form class itself is untouched
    assert not opinion_form_for(_step(opinion=REQUIRED, form_class=AnswerForm))({"opinion": " "}).is_valid()


def test_without_a_form_the_opinion_is_the_shared_one():
    field = opinion_form_for(_step(opinion=OPTIONAL))().fields["opinion"]
    assert str(field.label) in {"Opinion", "意见"}
    assert not field.required

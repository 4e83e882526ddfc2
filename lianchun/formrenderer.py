"""The project's form renderer (settings.FORM_RENDERER): every form, of every app, through one hook.

A required field left empty names itself: "请填写「会议主题」。" rather than Django's bare
"这个字段是必填项", so a cadre on a long form sees which box to fill. Django 5.2 lets the
renderer choose the BoundField class of all forms; a form cleans its fields through their
bound fields, so the message is set there once, per form instance (each form deep-copies its
fields), for every field whose required message is still Django's default. A form that words
its own required message keeps it.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

DEFAULT_REQUIRED = forms.Field.default_error_messages["required"]
CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)


def required_message(label: str, widget: forms.Widget):
    """ "Fill in 「label」." for a box to type into, "Choose 「label」." for a list or a tick."""
    label = str(label).rstrip("：: ")
    if isinstance(widget, CHOICE_WIDGETS):
        return format_lazy(_("Choose “{label}”."), label=label)
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return format_lazy(_("Attach “{label}”."), label=label)
    return format_lazy(_("Fill in “{label}”."), label=label)


class NamedBoundField(BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if self.label and str(field.error_messages.get("required", "")) == str(DEFAULT_REQUIRED):
            field.error_messages["required"] = required_message(self.label, field.widget)


class Renderer(DjangoTemplates):
    bound_field_class = NamedBoundField

"""A choice field's label, read from a table made once per field.

Django's `get_FOO_display()` builds a dict of the field's choices on every call, and hashing a lazy label
translates it: a list of thirty meetings translated every kind of meeting thirty times, a tenth of the page's
CPU. The table keeps the labels lazy, so only the label shown is translated, in the request's language.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def labels(field: models.Field) -> dict[Any, Any]:
    """The field's value → label table (labels still lazy); a field's choices are fixed when its model is built."""
    return {make_hashable(value): label for value, label in field.flatchoices}


class ChoiceLabels:
    """Mixed into a model, makes its `get_FOO_display()` methods read `labels()`; same result as Django's."""

    def _get_FIELD_display(self, field: models.Field) -> str:
        value = getattr(self, field.attname)
        return force_str(labels(field).get(make_hashable(value), value), strings_only=True)

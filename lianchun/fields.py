"""Form fields that refuse what the database cannot hold, on the field, instead of a server error."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id too large for the database as a choice that is not offered.

    Django checks each posted id only by building a query, then reads the choices with `pk__in`:
    on SQLite an id beyond 64 bits raises OverflowError there (a single choice's `pk=` lookup
    is guarded by Django, the `__in` lookup is not).
    """

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        model_field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(model_field, models.IntegerField):
            connection = connections[self.queryset.db]
            low, high = connection.ops.integer_field_range(model_field.get_internal_type())
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # Django refuses it as an invalid id
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)

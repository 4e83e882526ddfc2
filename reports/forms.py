from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator

from .models import CONTENT_FIELDS, COUNT_FIELDS, WeeklyReport

TEXT_ROWS = {"progress": 8, "problems": 4, "next_week_plan": 5, "coordination": 3}


class WeeklyReportForm(forms.ModelForm):
    """The township's report; the view adds the shared version token (`lianchun.editing.with_version`).

    Always bound without an instance: the services write, and a conflict must not mix texts.
    """

    class Meta:
        model = WeeklyReport
        fields = CONTENT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": rows}) for name, rows in TEXT_ROWS.items()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in COUNT_FIELDS:
            self.fields[name].widget.attrs.update({"min": 0, "max": 999999})
            self.fields[name].validators.append(MaxValueValidator(999999))

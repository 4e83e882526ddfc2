from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WEAK_MARK_FOLLOWS_PLAN, Standing, Village


class VillageFactsForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=100, required=False)

    class Meta:
        model = Village
        fields = ["name", "households", "population", "party_members", "collective_income", "is_weak"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.weak_mark_follows_a_plan():
            self.fields["is_weak"].disabled = True
            self.fields["is_weak"].help_text = WEAK_MARK_FOLLOWS_PLAN


class StandingChangeForm(forms.Form):
    to_standing = forms.ChoiceField(label=_("New standing"), choices=Standing.choices)
    effective_date = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster workbook (.xlsx)"),
        help_text=_("Fill in the template; a title row above the header is fine."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class TownshipForm(forms.Form):
    code = forms.CharField(label=_("Division code"), max_length=20, help_text=_("12 digits, ending in 000."))
    name = forms.CharField(label=_("Name"), max_length=50)

    def clean_code(self):
        from .codes import normalize_code

        return normalize_code(self.cleaned_data["code"])

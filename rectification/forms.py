from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role, User
from villages.models import Standing

from .models import CHECKS, LedgerEntry, PlanStatus, RectificationItem, RectificationPlan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    class Meta:
        model = RectificationPlan
        fields = ["village", "county_leader", "contact_class", "work_team", "first_secretary"]
        help_texts = {
            "work_team": _("The work team or department sent to the village, if any."),
            "first_secretary": _("The first secretary sent to the village, if any."),
        }

    def __init__(self, *args, villages=None, county_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is None:
            del self.fields["village"]
        else:
            self.fields["village"].queryset = villages
            self.fields["village"].label = _("Village")
            if not villages.exists():
                # An empty list with no reason reads as a fault: say which villages it lists and where one is flagged.
                self.fields["village"].help_text = _(
                    "No village can be chosen: only villages flagged as weak and lax (软弱涣散) that have no plan yet "
                    "are listed. Flag a village on its own page, under “Edit facts”, then come back here."
                )
        self.fields["county_leader"].queryset = User.objects.filter(
            role=Role.COUNTY_LEADER, county_id=county_id, is_active=True
        ).order_by("full_name", "username")
        self.fields["county_leader"].required = True


class ItemForm(forms.ModelForm):
    class Meta:
        model = RectificationItem
        fields = ["governance", "problem", "measure", "responsible", "deadline"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 2}),
            "measure": forms.Textarea(attrs={"rows": 2}),
            "deadline": DATE,
        }


class ProposeForm(forms.Form):
    """The representatives' meeting that reviewed the plan: its day, its counts, a short note of its result.

    Whether the counts carry the vote is the propose step's rule (rectification.workflows)."""

    meeting_date = forms.DateField(label=_("Villager representatives' meeting on"), widget=DATE)
    entitled = forms.IntegerField(label=_("Representatives entitled"), min_value=0, max_value=100000)
    present = forms.IntegerField(
        label=_("Representatives present"),
        min_value=0,
        max_value=100000,
        help_text=_("At least two thirds of those entitled."),
    )
    in_favour = forms.IntegerField(
        label=_("Representatives in favour"),
        min_value=0,
        max_value=100000,
        help_text=_("More than half of those present."),
    )
    meeting_result = forms.CharField(
        label=_("Result of the meeting"),
        max_length=300,
        help_text=_("A short note, for example: agreed to the plan."),
    )


class AdviceForm(forms.Form):
    opinion = forms.CharField(
        label=_("Advice of the organisation department"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Assess whether the measures are feasible and will work, by the eight curbs."),
    )


class CheckForm(forms.Form):
    """三个不放过: each check ticked when the plan passes it; approving and returning share the form."""

    problems_accurate = forms.BooleanField(label=CHECKS[0][1], required=False)
    measures_targeted = forms.BooleanField(label=CHECKS[1][1], required=False)
    responsibility_clear = forms.BooleanField(label=CHECKS[2][1], required=False)
    opinion = forms.CharField(
        label=pgettext_lazy("rectification", "Opinion"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: say what must be revised."),
    )


class NoteForm(forms.Form):
    opinion = forms.CharField(
        label=pgettext_lazy("rectification", "Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseOutForm(NoteForm):
    raise_standing_to = forms.ChoiceField(
        label=_("Raise the village's standing to"),
        required=False,
        choices=[
            ("", _("Keep the current standing")),
            (Standing.AVERAGE, Standing.AVERAGE.label),
            (Standing.ADVANCED, Standing.ADVANCED.label),
        ],
    )


class ProgressForm(forms.Form):
    on_date = forms.DateField(label=_("Date"), widget=DATE)
    evidence = forms.CharField(
        label=_("Progress and evidence"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    marks_complete = forms.BooleanField(label=_("This measure is now completed"), required=False)


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *PlanStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class LedgerEntryForm(forms.ModelForm):
    class Meta:
        model = LedgerEntry
        fields = ["kind", "source", "collected_on", "summary", "owner", "handling", "status", "solved_on"]
        widgets = {"collected_on": DATE, "solved_on": DATE}

    def __init__(self, *args, kinds=None, handling=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["handling"].queryset = handling
        self.fields["kind"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("status") != LedgerEntry.Status.SOLVED:
            # A matter still in progress has no date solved, whatever was typed.
            data["solved_on"] = None
        return data


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=30)


class VoidForm(forms.Form):
    opinion = forms.CharField(label=_("Reason for voiding"), max_length=200)

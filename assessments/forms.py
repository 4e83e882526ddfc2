from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    Appraisal,
    AppraisalRule,
    AssessmentScheme,
    Contribution,
    Finding,
    Metric,
    SchemeIndicator,
    StarRating,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchemeForm(forms.ModelForm):
    class Meta:
        model = AssessmentScheme
        fields = ["name", "subject_kind", "period_kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(forms.ModelForm):
    higher_is_better = forms.BooleanField(
        label=_("More is better"),
        required=False,
        initial=True,
        help_text=_("Only for an entered indicator; a computed measure knows its own direction."),
    )

    class Meta:
        model = SchemeIndicator
        fields = ["metric", "label", "weight", "target", "green_from", "amber_from", "higher_is_better"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = Metric.choices


class IndicatorEditForm(forms.ModelForm):
    class Meta:
        model = SchemeIndicator
        fields = ["label", "weight", "target", "green_from", "amber_from"]


class PeriodForm(forms.Form):
    label = forms.CharField(label=_("Period"), max_length=40, help_text=_("For example: first half of 2026."))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)


class RoundForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=DATE, help_text=_("Any day of the month inspected."))
    title = forms.CharField(label=_("Title"), max_length=100)
    checklist = forms.CharField(
        label=_("Checklist"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item a line, its points after a vertical bar: 联席会议按月召开|20. The points add up to 100."),
    )

    def clean_checklist(self):
        items = []
        for number, line in enumerate(self.cleaned_data["checklist"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            text, _bar, points = line.rpartition("|")
            if not text.strip() or not points.strip().isdigit() or int(points) <= 0:
                raise forms.ValidationError(
                    _("Line %(line)s: write the item, a vertical bar and its points."), params={"line": number}
                )
            items.append((text.strip()[:200], int(points)))
        if not items:
            raise forms.ValidationError(_("Give the round at least one checklist item."))
        return items


class VisitForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Joint organisation"), queryset=None)
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    inspectors = forms.CharField(label=_("Inspectors"), max_length=100)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, clusters=None, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.checklist = list(checklist)
        for item in self.checklist:
            self.fields[f"mark_{item.pk}"] = forms.IntegerField(
                label=f"{item.text}（{item.max_points}）", min_value=0, max_value=item.max_points
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("Note"), max_length=200, required=False)

    def marks(self) -> dict[int, tuple[int, str]]:
        return {
            item.pk: (self.cleaned_data[f"mark_{item.pk}"], self.cleaned_data[f"note_{item.pk}"])
            for item in self.checklist
        }


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["description", "owner", "deadline"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "deadline": DATE}


class CircularForm(forms.Form):
    issuing_organ = forms.CharField(label=_("Issuing organ"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=120)
    main_recipients = forms.CharField(label=_("Main recipients"), max_length=200)
    copy_to = forms.CharField(label=_("Copied to"), max_length=200, required=False)
    body = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))


class AppraisalForm(forms.ModelForm):
    class Meta:
        model = Appraisal
        fields = ["cluster", "village", "year", "half", "held_on", "voters"]
        widgets = {"held_on": DATE}

    def __init__(self, *args, clusters=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["village"].queryset = villages
        self.fields["cluster"].help_text = _("Either a joint organisation or a village.")


class ResultForm(forms.Form):
    member = forms.CharField(label=_("Party member"), max_length=50)
    unit = forms.CharField(label=_("Unit or post"), max_length=100, required=False)
    excellent = forms.IntegerField(label=_("Excellent votes"), min_value=0, initial=0)
    qualified = forms.IntegerField(label=_("Qualified votes"), min_value=0, initial=0)
    basic = forms.IntegerField(label=_("Basically qualified votes"), min_value=0, initial=0)
    unqualified = forms.IntegerField(label=_("Unqualified votes"), min_value=0, initial=0)
    helper = forms.CharField(
        label=_("Named helper"), max_length=50, required=False, help_text=_("Required when the result is unqualified.")
    )


class FollowUpForm(forms.Form):
    on_date = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(forms.ModelForm):
    class Meta:
        model = AppraisalRule
        fields = [
            "unqualified_over_num",
            "unqualified_over_den",
            "excellent_from_num",
            "excellent_from_den",
            "basic_over_num",
            "basic_over_den",
        ]


class StarRatingForm(forms.ModelForm):
    class Meta:
        model = StarRating
        fields = ["village", "person", "post", "year", "stars", "surveyed", "satisfied"]

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["cluster", "kind", "amount", "on_date", "description"]
        widgets = {"on_date": DATE}

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters

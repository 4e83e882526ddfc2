from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianchun import clock
from lianchun.fields import ModelMultipleChoiceField

from .models import Attendance, DecisionStep, MeetingKind, Outcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("meeting", "Kind"))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("Place"), max_length=100)
    minutes_keeper = forms.CharField(label=_("Minutes kept by"), max_length=50)
    notice_sent_on = forms.DateField(
        label=_("Written notice sent on"),
        required=False,
        widget=DATE,
        help_text=_("A township regular meeting is notified at least five days ahead."),
    )
    urgent_reason = forms.CharField(
        label=_("Urgent reason for a shorter notice"),
        max_length=200,
        required=False,
        help_text=_("Only when the notice went out less than five days ahead."),
    )
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False)
    area = forms.CharField(label=_("Area"), max_length=50, required=False, help_text=_("For an exchange meeting."))
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=None, required=False, help_text=_("For a joint meeting of a cluster.")
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=100,
        required=False,
        help_text=_("For a joint meeting: the urban–rural organisation or cluster that meets."),
    )
    townships = ModelMultipleChoiceField(
        label=_("Townships called"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    roll_from_records = forms.BooleanField(
        label=_("Put whom the records name on the roll"),
        required=False,
        initial=True,
        help_text=_(
            "A county meeting expects the called townships' cadres (their accounts); a township's meeting "
            "the village cadres of its villages, as the cluster officers name them."
        ),
    )
    expected = forms.CharField(
        label=_("Others expected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One person per line: the name, then the unit or post (for example: 李建华，李家村党支部书记)."),
    )

    def __init__(self, *args, kinds, villages=None, townships=None, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        offered = {value for value, _label in kinds}
        if MeetingKind.EXCHANGE not in offered:
            del self.fields["area"]
        if MeetingKind.JOINT not in offered:
            del self.fields["organisation"]
        if clusters is None:
            del self.fields["cluster"]
        else:
            self.fields["cluster"].queryset = clusters
        if villages is None:
            del self.fields["village"]
        else:
            self.fields["village"].queryset = villages
        if townships is None:
            del self.fields["townships"]
        else:
            self.fields["townships"].queryset = townships
        if not self.is_bound:
            self.initial.setdefault("notice_sent_on", clock.today())


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=200)


class AttendanceForm(forms.Form):
    name = forms.CharField(label=_("Person's name"), max_length=50)
    unit = forms.CharField(label=_("Unit or post"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)
    leave_approved_by = forms.CharField(label=_("Leave approved by"), max_length=50, required=False)


class RollMarkForm(forms.Form):
    """One tap on the roll: its button sends `mark` = "status|name"; `approver` names who approved a leave."""

    mark = forms.CharField(max_length=80)
    approver = forms.CharField(label=_("Approver of leave tapped on the roll"), max_length=50, required=False)

    def clean(self):
        data = super().clean()
        status, _sep, name = (data.get("mark") or "").partition("|")
        if not name.strip():
            raise forms.ValidationError(_("Tap a person's button on the roll."), code="no_person")
        data["status"], data["name"] = status, name.strip()
        return data


class RollAddForm(forms.Form):
    people = forms.CharField(
        label=_("People to add to the roll"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One person per line: the name, then the unit or post (for example: 李建华，李家村党支部书记)."),
    )
    from_records = forms.BooleanField(label=_("Also everyone the records name for this meeting"), required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))


class IssueForm(forms.Form):
    description = forms.CharField(label=_("Issue"), widget=forms.Textarea(attrs={"rows": 3}))
    raised_by = forms.CharField(label=_("Raised by"), max_length=50)
    village = forms.ModelChoiceField(label=_("From village"), queryset=None, required=False)
    owner = forms.CharField(label=_("Owner"), max_length=50)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class IssueEditForm(forms.Form):
    """Correcting an open issue's text; the village it came from stays (it decides who keeps the issue)."""

    description = forms.CharField(label=_("Issue"), widget=forms.Textarea(attrs={"rows": 4}))
    raised_by = forms.CharField(label=_("Raised by"), max_length=50)
    owner = forms.CharField(label=_("Owner"), max_length=50)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    outcome_on = forms.DateField(label=_("Outcome date"), widget=DATE)
    note = forms.CharField(label=_("How it was handled"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class DecisionForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    title = forms.CharField(label=_("Matter"), max_length=200)
    lead = forms.ModelChoiceField(
        label=_("Lead cadre"),
        queryset=None,
        required=False,
        help_text=_("A village cadre from this village who leads it as a self-government project."),
    )

    def __init__(self, *args, villages, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        if leads is None:
            from clusters.models import ClusterOfficer

            leads = ClusterOfficer.objects.none()
        self.fields["lead"].queryset = leads
        self.fields["lead"].label_from_instance = lambda officer: (
            f"{officer.home_village.name} · {officer.name}（{officer.post}）"
        )


# What a vote records (四议两公开's 党员大会审议 and 村民代表会议决议); no other step has counts.
VOTE_COUNT_FIELDS = ("members", "present", "in_favour", "against")


class DecisionStepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=DecisionStep.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
        choices=[("", "—"), ("yes", _("Passed")), ("no", _("Not passed"))],
    )
    members = forms.IntegerField(label=_("Members entitled"), min_value=0, max_value=100000, required=False)
    present = forms.IntegerField(label=_("Present"), min_value=0, max_value=100000, required=False)
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0, max_value=100000, required=False)
    against = forms.IntegerField(label=_("Against"), min_value=0, max_value=100000, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    @classmethod
    def asking(cls, *, counts: bool, result: bool) -> type[DecisionStepForm]:
        """The form of one step, asking only what that step records: a vote its counts (the result follows
        from them), another step before the publications its result, a publication neither."""
        dropped = {name: None for name in VOTE_COUNT_FIELDS if not counts}
        if not result:
            dropped["passed"] = None
        return type(cls.__name__, (cls,), dropped)

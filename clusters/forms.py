from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from lianchun import clock
from lianchun.fields import ModelMultipleChoiceField
from villages.models import Township

from .models import Cluster, ClusterOfficer, ConsentOpinion, Form, Kind, Status

DATE = {"type": "date"}


def _visible_townships(request):
    return Township.objects.visible_to(request.user) if request is not None else Township.objects.none()


class ClusterFilter(django_filters.FilterSet):
    """The cluster list's filters; the township dropdown offers only the townships the user may see."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All statuses"))
    form = django_filters.ChoiceFilter(label=_("Form"), choices=Form.choices, empty_label=_("All forms"))
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=_visible_townships, empty_label=_("All townships")
    )

    class Meta:
        model = Cluster
        fields = ["status", "form", "township"]


class ClusterDetailsForm(forms.Form):
    name = forms.CharField(label=_("Cluster name"), max_length=100)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    is_pilot = forms.BooleanField(label=_("Pilot"), required=False)
    reason_ties = forms.BooleanField(label=_("Close ties between the villages"), required=False)
    reason_identity = forms.BooleanField(label=_("The people identify with each other"), required=False)
    reason_shared_interest = forms.BooleanField(label=_("Shared interests"), required=False)
    reason_cluster_effect = forms.BooleanField(label=_("A clear cluster effect"), required=False)
    selection_note = forms.CharField(
        label=_("Why these villages"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposeClusterForm(ClusterDetailsForm):
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices, initial=Form.VILLAGE_CLUSTER)
    partner_unit = forms.ModelChoiceField(
        label=_("Partner unit"), queryset=None, required=False, help_text=_("Only for an urban–rural joint cluster.")
    )
    villages = ModelMultipleChoiceField(label=_("Member villages"), queryset=None, widget=forms.CheckboxSelectMultiple)
    lead_village = forms.ModelChoiceField(label=_("Lead village"), queryset=None)
    opinion = forms.CharField(label=_("Proposal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["name", "form", "kind", "partner_unit", "villages", "lead_village", "is_pilot"]

    def __init__(self, *args, villages=None, partner_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = villages
        self.fields["lead_village"].queryset = villages
        self.fields["partner_unit"].queryset = partner_units


class MemberForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class OfficerForm(forms.Form):
    body = forms.ChoiceField(label=_("Body"), choices=ClusterOfficer.Body.choices)
    name = forms.CharField(label=_("Full name"), max_length=50)
    post = forms.CharField(label=_("Post"), max_length=50)
    home_village = forms.ModelChoiceField(label=_("Home village"), queryset=None, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_village"].queryset = villages


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DocumentsForm(forms.Form):
    charter = forms.CharField(label=_("Charter"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    work_plan = forms.CharField(label=_("Work plan"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    work_scope = forms.CharField(label=_("Scope of work"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Reason for the change"), max_length=100, required=False)


class ModelCharterForm(forms.Form):
    text = forms.CharField(label=_("Model charter"), widget=forms.Textarea(attrs={"rows": 14}))


class HandedOutForm(forms.Form):
    handed_out = forms.IntegerField(label=_("Consent forms handed out"), min_value=0, max_value=1_000_000)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=100,
        required=False,
        help_text=_("Needed when lowering the figure after forms came back."),
    )


class BatchForm(forms.Form):
    batch_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    returned = forms.IntegerField(label=_("Returned"), max_value=1_000_000)
    agree = forms.IntegerField(label=_("Agree"), max_value=1_000_000)
    disagree = forms.IntegerField(label=_("Disagree"), max_value=1_000_000)
    invalid = forms.IntegerField(label=_("Invalid"), max_value=1_000_000)
    note = forms.CharField(label=_("Batch note"), max_length=200, required=False)


class BatchCorrectionForm(forms.Form):
    returned = forms.IntegerField(label=_("Returned"), max_value=1_000_000)
    agree = forms.IntegerField(label=_("Agree"), max_value=1_000_000)
    disagree = forms.IntegerField(label=_("Disagree"), max_value=1_000_000)
    invalid = forms.IntegerField(label=_("Invalid"), max_value=1_000_000)
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=100, required=False, help_text=_("Needed for any change.")
    )


class OpinionForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=ConsentOpinion.Source.choices)
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs=DATE))
    content = forms.CharField(label=_("Opinion or suggestion"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class StartConsultationForm(forms.Form):
    began_on = forms.DateField(
        label=_("Consent forms went out on"),
        initial=clock.today,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("The day the forms went out house by house: batches can be dated from that day on."),
    )


class ApproveForm(forms.Form):
    established_on = forms.DateField(label=_("Established on"), initial=clock.today, widget=forms.DateInput(attrs=DATE))


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(label=_("Dissolved on"), initial=clock.today, widget=forms.DateInput(attrs=DATE))


class ConsentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Consent tally workbook (.xlsx)"),
        help_text=_("Fill in the template: one row per batch of forms that came back."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

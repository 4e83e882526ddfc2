from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Consent tally workbook (.xlsx)"),
        help_text=_("Fill in the template: one row per batch of forms that came back."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=100)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=200)

from __future__ import annotations

from django import forms


class TextBlockForm(forms.Form):
    # The service strips the wording and says when it is too long, in the words the API would use.
    body = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    reason = forms.CharField(required=False)
    # The version of the wording the page showed: a save made against an older one is refused.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

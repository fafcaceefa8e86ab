from django import forms
from django.utils.translation import gettext_lazy as _


class PublicPageSettingsForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Show a public page for the broader community"),
        required=False,
        help_text=_(
            "Anyone, signed in or not, can then read what the committee shares: its charter, "
            "the sectors taking part, the agreed actions marked public and their progress, and "
            "the public entries of the community profile. Off, the page does not exist for "
            "anyone outside the community."
        ),
    )
    indexed = forms.BooleanField(
        label=_("Let search engines list the page"),
        required=False,
        help_text=_("Off, search engines are asked not to list it."),
    )

"""Forms for the committee itself: its rule, its seats and its members' roles. Choices are
passed in by the view from the viewer's own community; the rules live in `services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.models import CommitteeRole


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        if person.organization_id is not None:
            return f"{person.display_name} ({person.organization.name})"
        return person.display_name


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organization):
        return f"{organization.name} ({organization.sector.localized_name})"


class CommitteeSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name of the committee"), max_length=200)
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("You can use **bold**, lists (lines starting with -) and links."),
    )
    sectors_that_must_answer = forms.ModelMultipleChoiceField(
        label=_("Sectors that must answer"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A proposal is agreed only when each of these sectors has answered. "
            "Leave all unticked to ask it of every sector that holds a seat."
        ),
    )
    # The range is the service's rule; the attributes only help the browser's keyboard.
    minimum_participation = forms.IntegerField(
        label=_("Minimum participation (% of seats)"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
        help_text=_("0 means no minimum."),
    )

    def __init__(self, *args, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors_that_must_answer"].queryset = sectors


class SeatForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=None)
    organization = OrganizationChoiceField(
        label=_("Organization"),
        queryset=None,
        required=False,
        empty_label=_("None — an independent member"),
    )
    primary = PersonChoiceField(label=_("Primary member"), queryset=None)
    alternate = PersonChoiceField(
        label=_("Alternate"),
        queryset=None,
        required=False,
        empty_label=_("No alternate"),
        help_text=_("May answer for the seat when the primary member has not."),
    )

    def __init__(self, *args, sectors, organizations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors
        self.fields["organization"].queryset = organizations
        self.fields["primary"].queryset = people
        self.fields["alternate"].queryset = people


class CommitteeRoleForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeRole.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Organization, Person, Role, Sector, Visibility


class OrganizationInviteForm(forms.Form):
    """Register a stakeholder organization and invite its contact in one step."""

    name = forms.CharField(label=_("Organization name"), max_length=200)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none())
    description = forms.CharField(
        label=_("What the organization does"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_name = forms.CharField(label=_("Contact person's name"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact person's email"))
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors


class InvitationForm(forms.Form):
    """Invite one more person, to an existing organization or as an independent member."""

    email = forms.EmailField(label=_("Email"))
    display_name = forms.CharField(label=_("Name to greet them by"), max_length=120, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("None — an independent member"),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args, sectors, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = sectors
        self.fields["organization"].queryset = organizations


class MembershipForm(forms.Form):
    """A coordinator changes someone's place in the community, or closes their account
    (`services.update_membership`)."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("None — an independent member"),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    close_account = forms.BooleanField(
        label=_("Close this account"),
        required=False,
        help_text=_(
            "They are signed out everywhere at once and can no longer sign in; a seat they hold "
            "on the committee ends. What they wrote stays, under their sector."
        ),
    )

    def __init__(self, *args, sectors, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = sectors
        self.fields["organization"].queryset = organizations


class AcceptInvitationForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name on the committee"),
        max_length=120,
        help_text=_("This is the name others see. A chosen name is fine."),
    )
    username = forms.CharField(label=_("Username (to sign in)"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class OrganizationNoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(label=_("Who can see this"), choices=Visibility.choices)
    visible_sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors that can see this"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when sharing with sectors. You can choose only sectors you belong to."),
    )

    def __init__(self, *args, author, record_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visible_sectors"].queryset = author.sectors.all()
        choices = [
            (value, label)
            for value, label in Visibility.choices
            if value in record_type.allowed_visibilities
            and (value != Visibility.PUBLIC or author.is_coordinator)
            and (value != Visibility.ORGANIZATION or author.organization_id)
        ]
        self.fields["visibility"].choices = choices
        self.fields["visibility"].initial = Visibility.COMMITTEE


class SectorForm(forms.Form):
    name = forms.CharField(label=_("Sector name"), max_length=200)
    name_fr = forms.CharField(
        label=_("Sector name in French"),
        max_length=200,
        required=False,
        help_text=_("Left empty, French pages show the name above."),
    )
    is_required = forms.BooleanField(
        label=_("Must be represented on the committee"), required=False, initial=True
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name on the committee"),
        max_length=120,
        help_text=_("This is the name others see. A chosen name is fine."),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Only you and the coordinators see your email and phone."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app or, where `recovery` allows it, a recovery code."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not recovery:
            field = self.fields["code"]
            field.label = _("The 6-digit code your app shows")
            field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})


class AuditFilterForm(forms.Form):
    """The audit trail's filters, read from the address (GET): a kind of action, a person."""

    group = forms.ChoiceField(label=_("What"), required=False)
    person = forms.ModelChoiceField(
        label=_("Who"), queryset=Person.objects.none(), required=False, empty_label=_("Anyone")
    )

    def __init__(self, *args, groups, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Everything")), *groups]
        self.fields["person"].queryset = people


class LeaveForm(forms.Form):
    delete_comments = forms.BooleanField(
        label=_("Also delete my comments in discussions"),
        required=False,
        help_text=_(
            "Otherwise they stay, under the name “Former member”, so that the discussion still "
            "reads as it happened."
        ),
    )
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

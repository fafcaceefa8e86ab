"""Forms for proposals, positions and the discussion. They check the shape of the input only;
the rules (who may do what, when, a reason for a block) are the services' and come back as
ValidationErrors that the views attach to these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.forms import OrganizationNoteForm
from stakeholders.models import Visibility

from ..consensus import Stance
from ..models import Proposal

BODY_HELP = _(
    "To format it: **bold**, *italics*, lists starting with - or 1., links as [text](https://…). "
    "A blank line starts a new paragraph."
)


def _title() -> forms.CharField:
    return forms.CharField(label=_("Title"), max_length=200)


def _body() -> forms.CharField:
    return forms.CharField(
        label=_("What you propose"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=BODY_HELP,
    )


def _anonymous() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Hide names"),
        required=False,
        help_text=_(
            "Positions then show their sector but not who gave them. This cannot change once "
            "someone has given a position."
        ),
    )


class ProposalForm(OrganizationNoteForm):
    """A new proposal. Who may see it is chosen exactly as for a note: the choices are limited
    to what the author may pick, and caucus sectors to the author's own."""

    title = _title()
    body = _body()
    visibility = forms.ChoiceField(
        label=_("Who can see this"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    anonymous = _anonymous()

    field_order = ["title", "body", "visibility", "visible_sectors", "anonymous"]

    def __init__(self, *args, author, **kwargs):
        super().__init__(*args, author=author, record_type=Proposal, **kwargs)


class ProposalEditForm(ProposalForm):
    """Editing the text and whether names are hidden; who can see it only for its author
    (`with_visibility`)."""

    def __init__(self, *args, with_visibility: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_visibility:
            del self.fields["visibility"]
            del self.fields["visible_sectors"]


class ReviseForm(forms.Form):
    title = _title()
    body = _body()


STANCE_EXPLANATIONS = {
    Stance.AGREE: _("You support it as it is."),
    Stance.RESERVATIONS: _(
        "You agree, but want your concerns recorded. Say what they are in the reason."
    ),
    Stance.STAND_ASIDE: _("You will not stand in the way. It counts as an answer."),
    Stance.BLOCK: _("You believe it must not go ahead. Say why in the reason."),
}


class PositionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Your seat's position"), choices=Stance.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for a block or a reservation; welcome for any position."),
    )

    def stance_options(self):
        """Each radio button with its one-line explanation."""
        return [(radio, STANCE_EXPLANATIONS[radio.data["value"]]) for radio in self["stance"]]


class MoveForm(forms.Form):
    """One step of the lifecycle; which fields matter depends on the step."""

    to = forms.ChoiceField(
        choices=[
            ("discussion", _("Start the discussion")),
            ("decision", _("Ask for positions")),
            ("closed", _("Close")),
            ("withdrawn", _("Withdraw")),
        ]
    )
    closes_at = forms.DateTimeField(
        label=_("Positions close at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the community's time zone."),
    )
    statement = forms.CharField(
        label=_("Outcome statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Coordinators only: what the committee concluded. You can also add it later."),
    )


class OutcomeStatementForm(forms.Form):
    outcome_statement = forms.CharField(
        label=_("Outcome statement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the committee concluded, for the record. You can use **bold** and lists."
        ),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You can use **bold**, lists (lines starting with -) and links."),
    )

"""Forms for meetings, their agenda, answers, attendance and minutes. They check the shape of
the input only; the rules (who may do what, when) are the services' and come back as
ValidationErrors that the views attach to these forms. Choices of proposals, people and meetings
come from selectors, so a form never offers what its user may not see."""

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stakeholders.forms import OrganizationNoteForm
from stakeholders.models import Person

from ..models import Meeting, Minutes, Proposal, RsvpAnswer
from ..services.meetings import MAX_ITEM_MINUTES

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _moment(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("In the community's time zone."),
    )


class MeetingEditForm(forms.Form):
    """The title, time and place of a meeting: what rescheduling changes."""

    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = _moment(_("Starts at"))
    ends_at = _moment(_("Ends at"))
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("An address or a room. Give a place, an online link, or both."),
    )
    online_link = forms.URLField(
        label=_("Online link"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_("For people who join from a distance."),
    )


class MeetingForm(MeetingEditForm, OrganizationNoteForm):
    """A new meeting, with who may see it, chosen as for any record (a caucus meeting needs
    the coordinator's own sectors)."""

    body = None
    visibility = forms.ChoiceField(label=_("Who can see this meeting"), widget=forms.RadioSelect)

    field_order = [
        "title",
        "starts_at",
        "ends_at",
        "place",
        "online_link",
        "visibility",
        "visible_sectors",
    ]

    def __init__(self, *args, author: Person, **kwargs):
        super().__init__(*args, author=author, record_type=Meeting, **kwargs)


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(label=_("Will you come?"), choices=RsvpAnswer.choices)


def _proposal_field(proposals: QuerySet[Proposal], label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=proposals,
        required=False,
        empty_label=_("None"),
    )


class AgendaItemForm(forms.Form):
    """A coordinator adds an item to the agenda."""

    title = forms.CharField(
        label=_("Item"),
        max_length=200,
        required=False,
        help_text=_("Leave it empty to use the proposal's title."),
    )
    duration_minutes = forms.IntegerField(
        label=pgettext_lazy("length of an agenda item", "Minutes"),
        required=False,
        min_value=1,
        max_value=MAX_ITEM_MINUTES,
    )

    def __init__(self, *args, proposals: QuerySet[Proposal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"] = _proposal_field(proposals, _("About a proposal (optional)"))


class AgendaSuggestionForm(forms.Form):
    """A member suggests an item; a coordinator accepts it or not."""

    title = forms.CharField(
        label=_("Your suggestion"),
        max_length=200,
        required=False,
        help_text=_("Leave it empty to use the proposal's title."),
    )

    def __init__(self, *args, proposals: QuerySet[Proposal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"] = _proposal_field(proposals, _("About a proposal (optional)"))


class AgendaActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("decline", _("Decline")),
            ("up", _("Move up")),
            ("down", _("Move down")),
            ("remove", _("Remove")),
        ]
    )


class AttendanceForm(forms.Form):
    """Who was there, among the people the meeting is for."""

    present = forms.ModelMultipleChoiceField(
        label=_("Who was there"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, invitees: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = invitees


class MinutesForm(OrganizationNoteForm):
    body = forms.CharField(
        label=pgettext_lazy("record of a meeting", "Minutes"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("To format it: ### for a heading, **bold**, lists starting with -."),
    )
    visibility = forms.ChoiceField(label=_("Who can read the minutes"), widget=forms.RadioSelect)

    def __init__(self, *args, author: Person, **kwargs):
        super().__init__(*args, author=author, record_type=Minutes, **kwargs)


class DecisionForm(forms.Form):
    """One decision. A row left without text is left out, unless something else was filled in
    it (then it says what is missing rather than drop what was typed)."""

    text = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, proposals: QuerySet[Proposal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"] = _proposal_field(proposals, _("About a proposal (optional)"))

    def clean(self):
        cleaned = super().clean()
        if _filled_without_text(self, "proposal"):
            self.add_error("text", _("Write what was decided, or clear this row."))
        return cleaned


class ActionItemForm(forms.Form):
    """One action item; a row left without text is left out."""

    text = forms.CharField(label=_("Action"), required=False, max_length=1000)
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("Who"), queryset=people, required=False, empty_label=_("Nobody yet")
        )
        self.order_fields(["text", "owner", "due_on"])

    def clean(self):
        cleaned = super().clean()
        if _filled_without_text(self, "owner", "due_on"):
            self.add_error("text", _("Say what is to be done, or clear this row."))
        return cleaned


def _filled_without_text(form: forms.Form, *others: str) -> bool:
    """A row whose text is empty while one of `others` was filled in by the writer (not as the
    form offered it, like a decision row drafted from a proposal on the agenda)."""
    if (form.cleaned_data.get("text") or "").strip() or not form.has_changed():
        return False
    return any(form.cleaned_data.get(name) not in (None, "") for name in others)


# A page of minutes has at most this many decisions, and as many action items.
MAX_MINUTES_ROWS = 50


def _rows(form_class: type[forms.Form], extra: int):
    return forms.formset_factory(
        form_class,
        extra=extra,
        max_num=MAX_MINUTES_ROWS,
        validate_max=True,
        absolute_max=MAX_MINUTES_ROWS,
    )


DecisionFormSet = _rows(DecisionForm, extra=2)
ActionItemFormSet = _rows(ActionItemForm, extra=2)


def as_typed(form: forms.Form, **kwargs) -> forms.Form:
    """A submitted form again as it was typed, unbound: shown without checking or saving it."""
    return type(form)(initial={name: form[name].value() for name in form.fields}, **kwargs)


def rows_as_typed(
    formset: forms.BaseFormSet, *, another: bool = False, **form_kwargs
) -> forms.BaseFormSet:
    """The rows of a submitted formset as they were typed, unbound (shown without checking or
    saving them), with one empty row more at the end, focused, when `another` is asked and
    there are fewer than `MAX_MINUTES_ROWS`."""
    typed = [{name: form[name].value() for name in form.fields} for form in formset.forms]
    grow = another and len(typed) < MAX_MINUTES_ROWS
    rows = _rows(formset.form, extra=1 if grow else 0)(
        prefix=formset.prefix, initial=typed, form_kwargs=form_kwargs
    )
    if grow:
        rows.forms[-1].fields["text"].widget.attrs["autofocus"] = True
    return rows


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        day = formats.date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")
        return f"{meeting.title} ({day})"


class ApproveMinutesForm(forms.Form):
    at_meeting = MeetingChoiceField(
        label=_("Approved at"), queryset=Meeting.objects.none(), empty_label=None
    )

    def __init__(self, *args, meetings: QuerySet[Meeting], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = meetings

"""Forms to propose a change to the charter or the trust agreement. Each text is written in
English and in French side by side; either may be left blank (readers then see the other).
The charter form has one row per current objective (carrying its key, so that its identity is
kept while its words change) and empty rows for new ones; emptying a row removes it, and a
row's place moves it. They check the shape of the input only; `services.amendments` checks the
rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..governing_texts import Bilingual, Charter
from .proposals import BODY_HELP

NEW_ROWS = 2
LANGUAGE_LABELS = {"en": _("English"), "fr": _("French")}


def _why() -> forms.CharField:
    return forms.CharField(
        label=_("Why this change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=BODY_HELP,
    )


def _text(label, *, long: bool = False) -> forms.CharField:
    rows = 10 if long else 2
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), strip=True
    )


class _ProposalText(forms.Form):
    title = forms.CharField(label=_("Title of the proposal"), max_length=200)
    body = _why()


class CharterChangeForm(_ProposalText):
    """Purpose, objectives and values of the new charter, starting from `charter`."""

    def __init__(self, *args, charter: Charter, **kwargs):
        super().__init__(*args, **kwargs)
        self.objective_rows: list[tuple[str, str]] = []  # (field prefix, key)
        self.value_rows: list[str] = []
        self._add_pair("purpose", _("Purpose"), charter.purpose, long=True)
        rows = [(objective.key, objective.text) for objective in charter.objectives]
        rows += [("", Bilingual())] * NEW_ROWS
        for index, (key, text) in enumerate(rows):
            prefix = f"objective-{index}"
            self.fields[f"{prefix}-key"] = forms.CharField(
                required=False, initial=key, widget=forms.HiddenInput
            )
            number = {"number": index + 1}
            label = _("Objective %(number)s") % number
            place = _("Place of objective %(number)s") % number
            if not key:
                label = _("New objective %(number)s") % number
                place = _("Place of new objective %(number)s") % number
            self.fields[f"{prefix}-place"] = forms.IntegerField(
                label=place,
                required=False,
                min_value=1,
                max_value=len(rows),
                initial=index + 1,
            )
            self._add_pair(prefix, label, text)
            self.objective_rows.append((prefix, key))
        values = [*charter.values, *[Bilingual()] * NEW_ROWS]
        for index, text in enumerate(values):
            prefix = f"value-{index}"
            self._add_pair(prefix, _("Value %(number)s") % {"number": index + 1}, text)
            self.value_rows.append(prefix)

    def _add_pair(self, prefix: str, label, text: Bilingual, *, long: bool = False) -> None:
        for language, language_label in LANGUAGE_LABELS.items():
            field = _text(f"{label} ({language_label})", long=long)
            field.initial = getattr(text, language)
            field.widget.attrs["lang"] = language
            self.fields[f"{prefix}-{language}"] = field

    def _pair(self, prefix: str) -> Bilingual:
        data = self.cleaned_data
        return Bilingual(en=data.get(f"{prefix}-en", ""), fr=data.get(f"{prefix}-fr", ""))

    def pairs(self, prefix: str) -> list:
        """The bound fields of one row, English then French, for the template."""
        return [self[f"{prefix}-{language}"] for language in LANGUAGE_LABELS]

    def rows_for_template(self) -> dict:
        return {
            "proposal": [self["title"], self["body"]],
            "purpose": self.pairs("purpose"),
            "objectives": [
                (self[f"{prefix}-key"], key, [self[f"{prefix}-place"]], self.pairs(prefix))
                for prefix, key in self.objective_rows
            ],
            "values": [self.pairs(prefix) for prefix in self.value_rows],
        }

    def amendment(self) -> dict:
        """The keyword arguments of `services.propose_charter_change` after the proposal's."""
        return {
            "purpose": self._pair("purpose"),
            "objectives": self._objectives_in_place(),
            "values": [self._pair(prefix) for prefix in self.value_rows],
        }

    def _objectives_in_place(self) -> list[tuple[str, Bilingual]]:
        """The objective rows (key, text) in the order of their places. A row moved to the
        place of another goes before it; a row left without a place keeps its own."""
        ordered = []
        for index, (prefix, _key) in enumerate(self.objective_rows):
            place = self.cleaned_data.get(f"{prefix}-place") or index + 1
            stayed = place == index + 1
            row = (self.cleaned_data.get(f"{prefix}-key", ""), self._pair(prefix))
            ordered.append(((place, stayed, index), row))
        return [row for _order, row in sorted(ordered, key=lambda item: item[0])]


class AgreementForm(_ProposalText):
    text_en = _text(_("The agreement (English)"), long=True)
    text_fr = _text(_("The agreement (French)"), long=True)

    def __init__(self, *args, text: Bilingual, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text_en"].initial = text.en
        self.fields["text_fr"].initial = text.fr
        self.fields["text_en"].widget.attrs["lang"] = "en"
        self.fields["text_fr"].widget.attrs["lang"] = "fr"
        self.fields["text_en"].help_text = BODY_HELP

    def text(self) -> Bilingual:
        return Bilingual(en=self.cleaned_data["text_en"], fr=self.cleaned_data["text_fr"])

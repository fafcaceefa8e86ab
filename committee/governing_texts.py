"""The committee's two governing texts, the charter and the trust agreement: the model's own
words, how a version is read, and the shape of an amendment's `content`. No database here:
`selectors` builds these from `Amendment` rows, `services.amendments` validates with them.

Languages: every text is kept in English and in French. The model's charter (version 1 of
every community's charter, never stored) and the suggested trust agreement are gettext
messages, so each reader gets them from the catalogue in their language. An amendment carries
both languages side by side; one may be left blank, and the reader then sees the other one,
marked with its language (`Bilingual.lang`), rather than nothing.

Stable identities: each charter objective has a `key` that stays the same across versions
while its words change, so that work-plan items linked to it stay linked. The model's five
objectives have readable keys; an objective added by an amendment gets a new random one."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LANGUAGES = ("en", "fr")
MAX_ITEM_LENGTH = 500
MAX_TEXT_LENGTH = 20_000

# The model's charter (seed: "Living in Community purpose", "Objectives", "values").
MODEL_PURPOSE = gettext_lazy(
    "To create communities that are healthier and safer for each and every community member "
    "in relation to sex work and sexual exploitation."
)
MODEL_OBJECTIVES = {
    "awareness": gettext_lazy(
        "Build greater awareness, dialogue and responsiveness of multiple stakeholders"
    ),
    "exploitation": gettext_lazy("Reduce and prevent sexual exploitation"),
    "direct-services": gettext_lazy("Increase direct services"),
    "exiting": gettext_lazy("Provide transitioning and exiting options for sex workers"),
    "policy": gettext_lazy("Affect policy and legal change"),
}
MODEL_VALUES = (
    gettext_lazy("Embracing diversity and respect for all"),
    gettext_lazy("Enabling participation"),
    gettext_lazy("Learning and self-growth as a path to change"),
    gettext_lazy("Taking a stance against exploitation and social injustice"),
    gettext_lazy("Creating understanding and building community"),
    gettext_lazy("Openness to listen and understand different perspectives"),
)

# Offered as the starting text when a committee proposes its first trust agreement (seed, step
# 3: "a safe space of mutual trust even where there is disagreement").
SUGGESTED_AGREEMENT = gettext_lazy(
    "We commit to a safe space of mutual trust, even where we disagree.\n\n"
    "- **Respect across disagreement.** We speak to each other with respect, listen to "
    "understand, and criticize ideas, never people.\n"
    "- **Caucus discussions stay in the caucus.** What is said in a caucus (such as the "
    "experiential sector's own space) is not repeated outside it.\n"
    "- **What is said here stays here.** We do not share outside the committee who said what, "
    "or who takes part, unless that person agrees.\n"
    "- **No recording.** We do not record, photograph or screenshot meetings or discussions.\n"
    "- **Safety first.** Anyone may step out of a discussion, or use a chosen name, at any time."
)


@dataclass(frozen=True)
class Bilingual:
    """A text in English and French; either may be blank. Reading it gives the reader's
    language, or the other one when that is blank."""

    en: str = ""
    fr: str = ""

    @classmethod
    def of_message(cls, message) -> "Bilingual":
        """A gettext message in both languages, from the catalogue."""
        texts = {}
        for language in LANGUAGES:
            with translation.override(language):
                texts[language] = str(message)
        return cls(**texts)

    @classmethod
    def from_json(cls, data: dict[str, str]) -> "Bilingual":
        return cls(en=data.get("en", ""), fr=data.get("fr", ""))

    def as_json(self) -> dict[str, str]:
        return {"en": self.en, "fr": self.fr}

    @property
    def lang(self) -> str:
        """The language the reader is shown."""
        wanted = (translation.get_language() or "en")[:2]
        wanted = wanted if wanted in LANGUAGES else "en"
        if getattr(self, wanted):
            return wanted
        return next((language for language in LANGUAGES if getattr(self, language)), wanted)

    @property
    def text(self) -> str:
        return getattr(self, self.lang)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class CharterObjective:
    key: str
    text: Bilingual


@dataclass(frozen=True)
class Charter:
    """One version of a community's charter. Version 1 is the model's own (no proposal)."""

    number: int
    purpose: Bilingual
    objectives: tuple[CharterObjective, ...]
    values: tuple[Bilingual, ...]
    # The agreed proposal that made it (None for the model's own). Only its id: a reader who
    # may not see that proposal (or the public) must not learn its title from the charter.
    proposal_id: int | None = None
    applied_at: datetime | None = None

    @property
    def is_model(self) -> bool:
        return self.proposal_id is None

    def objective(self, key: str) -> CharterObjective | None:
        return next((objective for objective in self.objectives if objective.key == key), None)

    def as_content(self) -> dict:
        return {
            "purpose": self.purpose.as_json(),
            "objectives": [
                {"key": objective.key, **objective.text.as_json()} for objective in self.objectives
            ],
            "values": [value.as_json() for value in self.values],
        }


def model_charter() -> Charter:
    return Charter(
        number=1,
        purpose=Bilingual.of_message(MODEL_PURPOSE),
        objectives=tuple(
            CharterObjective(key, Bilingual.of_message(text))
            for key, text in MODEL_OBJECTIVES.items()
        ),
        values=tuple(Bilingual.of_message(value) for value in MODEL_VALUES),
    )


def charter_from(
    content: dict, *, number: int, proposal_id: int | None = None, applied_at=None
) -> Charter:
    return Charter(
        number=number,
        purpose=Bilingual.from_json(content["purpose"]),
        objectives=tuple(
            CharterObjective(item["key"], Bilingual.from_json(item))
            for item in content["objectives"]
        ),
        values=tuple(Bilingual.from_json(item) for item in content["values"]),
        proposal_id=proposal_id,
        applied_at=applied_at,
    )


@dataclass(frozen=True)
class Agreement:
    """One version of the committee's trust agreement (Markdown in both languages)."""

    number: int
    text: Bilingual
    proposal_id: int | None = None
    applied_at: datetime | None = None
    amendment_id: int | None = None  # the row acceptances point at


def agreement_from(
    content: dict, *, number: int, proposal_id=None, applied_at=None, amendment_id=None
) -> Agreement:
    return Agreement(
        number=number,
        text=Bilingual.from_json(content["text"]),
        proposal_id=proposal_id,
        applied_at=applied_at,
        amendment_id=amendment_id,
    )


def suggested_agreement() -> Bilingual:
    return Bilingual.of_message(SUGGESTED_AGREEMENT)


# --- validating an amendment's content ---------------------------------------------------------


def _clean(item: Bilingual, *, limit: int = MAX_ITEM_LENGTH) -> Bilingual:
    return Bilingual(en=item.en.strip()[:limit], fr=item.fr.strip()[:limit])


def _is_blank(item: Bilingual) -> bool:
    return not (item.en or item.fr)


def charter_content(
    *,
    base: Charter,
    purpose: Bilingual,
    objectives: list[tuple[str, Bilingual]],
    values: list[Bilingual],
    own_keys: frozenset[str] = frozenset(),
) -> dict:
    """The content of a charter amendment, checked: a purpose, at least one objective and one
    value, each in at least one language. An objective keeps the key of the base's objective
    it rewords (`""` for a new one, which gets a new key; `own_keys` are those an earlier text
    of the same amendment gave its new ones); blank rows are left out, so leaving an objective
    blank removes it."""
    errors: dict[str, list[str]] = {}
    purpose = _clean(purpose, limit=MAX_TEXT_LENGTH)
    if _is_blank(purpose):
        errors["purpose"] = [_("Write the charter's purpose.")]
    base_keys = {objective.key for objective in base.objectives} | own_keys
    kept: list[dict] = []
    used: set[str] = set()
    for key, text in objectives:
        text = _clean(text)
        if _is_blank(text):
            continue
        if key and (key not in base_keys or key in used):
            errors.setdefault("objectives", []).append(
                _("An objective can only reword one of the current charter's objectives.")
            )
            continue
        key = key or _new_key(base_keys | used)
        used.add(key)
        kept.append({"key": key, **text.as_json()})
    if not kept:
        errors.setdefault("objectives", []).append(_("Keep at least one objective."))
    kept_values = [_clean(value) for value in values]
    kept_values = [value.as_json() for value in kept_values if not _is_blank(value)]
    if not kept_values:
        errors["values"] = [_("Keep at least one value.")]
    if errors:
        raise ValidationError(errors)
    content = {"purpose": purpose.as_json(), "objectives": kept, "values": kept_values}
    if content == base.as_content():
        raise ValidationError(_("This is the charter as it is now: change something first."))
    return content


def _new_key(taken: set[str]) -> str:
    while (key := f"objective-{secrets.token_hex(3)}") in taken:
        pass
    return key


def agreement_content(*, base: Agreement | None, text: Bilingual) -> dict:
    text = _clean(text, limit=MAX_TEXT_LENGTH)
    if _is_blank(text):
        raise ValidationError({"text": _("Write the agreement.")})
    if base is not None and text == base.text:
        raise ValidationError(_("This is the agreement as it is now: change something first."))
    return {"text": text.as_json()}


# --- what an amendment changes -----------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveChange:
    """One row of a charter change, by objective: `before`/`after` None when added/removed."""

    key: str
    before: Bilingual | None
    after: Bilingual | None
    moved: bool = False  # kept, and in another place among the objectives kept

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "unchanged" if self.before == self.after else "changed"


def objective_changes(before: Charter, after: Charter) -> list[ObjectiveChange]:
    """The new charter's objectives in order, each with what it was and whether it moved;
    removed ones last."""
    old = {objective.key: objective.text for objective in before.objectives}
    moved = moved_keys(
        [objective.key for objective in before.objectives],
        [objective.key for objective in after.objectives],
    )
    rows = [
        ObjectiveChange(
            objective.key, old.get(objective.key), objective.text, objective.key in moved
        )
        for objective in after.objectives
    ]
    kept = {objective.key for objective in after.objectives}
    rows += [
        ObjectiveChange(objective.key, objective.text, None)
        for objective in before.objectives
        if objective.key not in kept
    ]
    return rows


def moved_keys(before: list[str], after: list[str]) -> set[str]:
    """The fewest items kept from `before` in `after` that must have moved to give the new
    order: every kept item outside one longest run that keeps its earlier order. (Moving the
    third of five to the top moves one item, not the two it passed.) Where two runs are as
    long, the one of items placed later stays, so that of two swapped neighbours the one that
    went up is the one that moved, as a coordinator moves an objective: up to another's place."""
    rank = {key: index for index, key in enumerate(before)}
    kept = [key for key in after if key in rank]
    # The longest run of `kept` in increasing earlier rank, ending at each item.
    longest = [1] * len(kept)
    previous: list[int | None] = [None] * len(kept)
    for i, key in enumerate(kept):
        for j in range(i):
            if rank[kept[j]] < rank[key] and longest[j] + 1 >= longest[i]:
                longest[i], previous[i] = longest[j] + 1, j
    in_order: set[str] = set()
    end = max(reversed(range(len(kept))), key=lambda i: longest[i], default=None)
    while end is not None:
        in_order.add(kept[end])
        end = previous[end]
    return set(kept) - in_order

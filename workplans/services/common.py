"""Small helpers shared by the work-plan services."""

from collections.abc import Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

ModelT = TypeVar("ModelT", bound=models.Model)


def clean_title(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def next_position(siblings: QuerySet) -> int:
    """After the last sibling, hidden ones included (positions are never shown)."""
    last = siblings.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def reorder(siblings: QuerySet, ordered: Sequence[models.Model]) -> list[int]:
    """Put `ordered` (some or all of `siblings`, the ones the actor sees) in the given order,
    in the slots they hold now, so that siblings hidden from the actor keep their place among
    the others. Returns the ids in their new order."""
    ids = [record.pk for record in ordered]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Each item can appear only once in the new order."))
    rows = list(siblings.select_for_update().order_by("position", "pk"))
    by_id = {row.pk: row for row in rows}
    if any(pk not in by_id for pk in ids):
        raise ValidationError(_("Only items of the same list can be reordered together."))
    if len({row.position for row in rows}) != len(rows):
        for index, row in enumerate(rows):  # equal positions: give every row its own slot first
            row.position = index
    slots = sorted(by_id[pk].position for pk in ids)
    for pk, slot in zip(ids, slots, strict=True):
        by_id[pk].position = slot
    if rows:
        siblings.model.objects.bulk_update(rows, ["position"])
    return ids


def locked(record: ModelT) -> ModelT:
    """The record as it is in the database now, locked for this transaction: services change
    what is stored, never a caller's stale copy of it."""
    return type(record).objects.select_for_update().get(pk=record.pk)

"""Every action the code records in the audit trail has a translated label and a group to
filter by, so that the audit trail page never shows a raw "thing.done" to a coordinator. The
actions are read from the source: every call of `record_audit` (or of a module's own `_audit`
wrapper), so that a new action without a label fails here before anyone sees it."""

import ast
from pathlib import Path

import pytest
from django.utils.functional import Promise

from committee.models import AgendaItemStatus
from stakeholders import audit_trail

ROOT = Path(__file__).resolve().parent.parent
APPS = ("stakeholders", "committee", "workplans", "lic")

# Actions built at run time, by their f-string, and every value they can take.
BUILT_ACTIONS = {
    # committee/services/meetings.py `_set_status`: a coordinator accepts or declines an item.
    "agenda.{status}": [
        f"agenda.{status}" for status in (AgendaItemStatus.ACCEPTED, AgendaItemStatus.DECLINED)
    ],
}


def _source_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def recorded_actions() -> dict[str, str]:
    """Every action recorded in the source, with where it is recorded."""
    actions: dict[str, str] = {}
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        wrappers = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_audit")
        }
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
            name = _called_name(call)
            if name != "record_audit" and name not in wrappers:
                continue
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            values = [kw.value for kw in call.keywords if kw.arg == "action"]
            if name != "record_audit":  # a wrapper: its action is a positional string
                values += [arg for arg in call.args if isinstance(arg, ast.Constant)]
            # `"a.b" if ... else "a.c"`: both.
            while any(isinstance(value, ast.IfExp) for value in values):
                values = [
                    branch
                    for value in values
                    for branch in (
                        (value.body, value.orelse) if isinstance(value, ast.IfExp) else (value,)
                    )
                ]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    actions[value.value] = where
                elif isinstance(value, ast.JoinedStr):
                    template = "".join(
                        part.value
                        if isinstance(part, ast.Constant)
                        else "{" + ast.unparse(part.value) + "}"
                        for part in value.values
                    )
                    assert template in BUILT_ACTIONS, f"{where}: list the values of {template}"
                    actions.update(dict.fromkeys(BUILT_ACTIONS[template], where))
                elif isinstance(value, ast.Name) and name == "record_audit":
                    # Passed through by a wrapper, whose own calls are read above.
                    assert any(
                        isinstance(node, ast.FunctionDef) and node.name in wrappers
                        for node in ast.walk(tree)
                    ), f"{where}: an action audit_labels cannot read"
                else:
                    raise AssertionError(f"{where}: an action audit_labels cannot read")
    return actions


ACTIONS = recorded_actions()


def test_the_scan_finds_the_actions_of_every_app():
    assert {"person.audiences", "visibility.grants", "two_factor.on"} <= set(ACTIONS)
    assert {"position.cast", "agenda.accepted", "agenda.declined"} <= set(ACTIONS)
    assert {"action.approve", "need.dots"} <= set(ACTIONS)
    assert len(ACTIONS) > 70


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_recorded_action_has_a_translated_label_and_a_group(action):
    label = audit_trail._labels.get(action)
    assert label is not None, f"{action} ({ACTIONS[action]}) has no label in an audit_trail.py"
    assert isinstance(label, Promise), f"{action}: its label is not marked for translation"
    prefix = action.split(".", 1)[0]
    assert prefix in audit_trail._groups, f"{action}: no group {prefix!r} to filter by"

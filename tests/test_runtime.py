"""Run-time enforcement: can/check/targets/fire, the Status enum, the field descriptor."""

from __future__ import annotations

import keyword
import unicodedata
from enum import StrEnum
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import statusdoc
from statusdoc import InvalidTransition, UnknownStatus
from statusdoc.runtime import (
    InvalidEvent,
    InvalidInitialStatus,
    StatusField,
    status_member_name,
    status_member_names,
)

ROOT = Path(__file__).resolve().parent.parent
GLANCE = ROOT / "examples" / "glance" / "image-statuses.toml"


@pytest.fixture(scope="module")
def image() -> statusdoc.Machine:
    return statusdoc.load(GLANCE)


# --- can / check / targets / fire ------------------------------------------------------


def test_can_follows_the_spec(image):
    assert image.can("queued", "saving")
    assert image.can("active", "queued")  # the v2 "remove last location" edge
    assert not image.can("saving", "queued")
    assert not image.can("deleted", "active")


def test_wildcard_reaches_every_non_final_state_but_the_target(image):
    for state in image.states:
        if state.final:
            assert image.targets(state.name) == frozenset()
        else:
            assert "deleted" in image.targets(state.name)


def test_check_raises_invalid_transition_with_allowed_targets(image):
    image.check("queued", "saving")
    with pytest.raises(InvalidTransition) as info:
        image.check("saving", "queued")
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.src, err.dst) == ("saving", "queued")
    assert err.allowed == frozenset({"active", "killed", "deleted"})
    assert str(err) == (
        "image: transition 'saving' -> 'queued' is not allowed "
        "(allowed from 'saving': 'active', 'deleted', 'killed')"
    )


def test_check_from_final_status_says_so(image):
    with pytest.raises(InvalidTransition, match="'deleted' is final"):
        image.check("deleted", "active")


@pytest.mark.parametrize("call", ["can", "check"])
def test_unknown_statuses_raise_a_distinct_error(image, call):
    method = getattr(image, call)
    with pytest.raises(UnknownStatus) as info:
        method("activ", "saving")
    assert info.value.status == "activ"
    assert not isinstance(info.value, InvalidTransition)
    assert "unknown status 'activ'" in str(info.value)
    assert "'active'" in str(info.value)
    with pytest.raises(UnknownStatus):
        method("queued", "nope")


def test_targets(image):
    assert image.targets("queued") == frozenset({"saving", "active", "deleted"})
    with pytest.raises(UnknownStatus):
        image.targets("nope")


def test_fire_follows_events(image):
    assert image.fire("queued", "upload") == "saving"
    assert image.fire("killed", "delete") == "deleted"
    with pytest.raises(InvalidEvent) as info:
        image.fire("active", "upload")
    err = info.value
    assert isinstance(err, InvalidTransition)
    assert (err.src, err.dst, err.event, err.ambiguous) == ("active", None, "upload", False)
    assert err.events == ("delayed_delete", "delete", "remove_last_location")
    assert str(err) == (
        "image: event 'upload' is not defined from 'active' "
        "(events from 'active': 'delayed_delete', 'delete', 'remove_last_location')"
    )
    with pytest.raises(InvalidEvent, match="no transition leaves 'deleted'"):
        image.fire("deleted", "delete")
    with pytest.raises(UnknownStatus):
        image.fire("nope", "upload")


AMBIGUOUS = """
[machine]
name = "job"
initial = "new"
[states.new]
description = "x"
[states.left]
description = "x"
[states.right]
description = "x"
[[transitions]]
from = "new"
to = "left"
event = "go"
[[transitions]]
from = "new"
to = "right"
event = "go"
[[transitions]]
from = "left"
to = "right"
"""


def test_fire_refuses_an_ambiguous_event():
    machine = statusdoc.loads(AMBIGUOUS)
    with pytest.raises(InvalidEvent) as info:
        machine.fire("new", "go")
    assert info.value.ambiguous
    assert info.value.allowed == frozenset({"left", "right"})
    assert str(info.value) == "job: event 'go' from 'new' is a choice: 'left', 'right'; pass to=..."
    assert info.value.choices == (("left", ""), ("right", ""))
    assert machine.fire("new", "go", to="right") == "right"
    with pytest.raises(InvalidEvent, match=r"\(no event is defined from 'left'\)"):
        machine.fire("left", "go")  # left -> right exists, but without an event
    with pytest.raises(InvalidEvent, match=r"\(no transition leaves 'right'\)"):
        machine.fire("right", "go")


# --- Status enum ------------------------------------------------------------------------


def test_status_enum_in_spec_order_and_cached(image):
    status = image.Status
    assert issubclass(status, StrEnum)
    assert [m.value for m in status] == [s.name for s in image.states]
    assert status.PENDING_DELETE == "pending_delete"
    assert image.Status is status
    assert image.can(status.QUEUED, status.SAVING)
    assert image.targets(status.KILLED) == {"deleted"}


@pytest.mark.parametrize(
    ("status", "member"),
    [
        ("active", "ACTIVE"),
        ("wait call-back", "WAIT_CALL_BACK"),
        ("pending_delete", "PENDING_DELETE"),
        ("clean  --  failed", "CLEAN_FAILED"),
        ("3rd party", "S_3RD_PARTY"),
        ("déjà vu", "DEJA_VU"),
        ("Straße", "STRASSE"),
        ("状态", "状态"),
        ("ok ✓", "OK"),
        ("✓", "S"),
        ("_private_", "PRIVATE"),
        ("ﬁnal", "FINAL"),
        ("none", "NONE"),
    ],
)
def test_member_name_rule(status, member):
    assert status_member_name(status) == member


def test_collisions_get_numbered_suffixes_in_spec_order():
    names = status_member_names(["a-b", "a_b", "A B", "a b 2", "✓", "✗"])
    assert names == {
        "a-b": "A_B",
        "a_b": "A_B_2",
        "A B": "A_B_3",
        "a b 2": "A_B_2_2",
        "✓": "S",
        "✗": "S_2",
    }


def test_reserved_names_are_never_given_out():
    assert status_member_names(["machine", "x"], reserved=["MACHINE"]) == {
        "machine": "MACHINE_2",
        "x": "X",
    }


status_names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(st.lists(status_names, min_size=1, max_size=8, unique=True))
def test_member_names_are_valid_unique_and_build_an_enum(statuses):
    names = status_member_names(statuses)
    assert list(names) == statuses
    members = list(names.values())
    assert len(set(members)) == len(members)
    for member in members:
        assert member.isidentifier()
        assert not keyword.iskeyword(member)
        assert not member.startswith("_")
        # Python NFKC-normalises identifiers in source: generated code must agree.
        assert unicodedata.normalize("NFKC", member) == member
    enum = StrEnum("Status", [(names[s], s) for s in statuses])
    assert [m.value for m in enum] == statuses
    # The same input always gives the same names.
    assert status_member_names(statuses) == names


# --- field descriptor -------------------------------------------------------------------

IMAGE = statusdoc.load(GLANCE)


class Image:
    """A Glance-style domain class: ``status`` only moves along the spec."""

    status = IMAGE.field()

    def __init__(self, image_id: str, status: str = "queued") -> None:
        self.image_id = image_id
        self.status = status


def test_acceptance_glance_style_image_allowed_transitions_pass():
    img = Image("42")
    assert img.status == "queued"
    img.status = "saving"
    img.status = "active"
    img.status = "pending_delete"
    img.status = "deleted"
    assert img.status == "deleted"
    assert vars(img)["__statusdoc_status"] == "deleted"


def test_acceptance_glance_style_image_forbidden_transition_raises():
    img = Image("42")
    img.status = "saving"
    with pytest.raises(InvalidTransition) as info:
        img.status = "queued"
    assert info.value.allowed == frozenset({"active", "killed", "deleted"})
    message = str(info.value)
    assert "'saving' -> 'queued' is not allowed" in message
    for target in ("'active'", "'killed'", "'deleted'"):
        assert target in message
    assert img.status == "saving"  # unchanged after the refused move


def test_field_refuses_unknown_statuses():
    img = Image("1")
    with pytest.raises(UnknownStatus):
        img.status = "activ"
    assert img.status == "queued"
    with pytest.raises(UnknownStatus):
        Image("2", status="nope")


def test_first_assignment_must_be_the_initial_status_by_default():
    with pytest.raises(InvalidInitialStatus) as info:
        Image("1", status="active")
    assert isinstance(info.value, InvalidTransition)
    assert str(info.value) == (
        "image: Image.status must start at one of 'queued', not 'active' "
        "(pass field(initial=...) to allow other first statuses)"
    )


def test_initial_star_accepts_any_status_for_loaded_objects():
    class Stored:
        status = IMAGE.field(initial="*")

    row = Stored()
    row.status = "killed"
    with pytest.raises(InvalidTransition):
        row.status = "active"
    row.status = "deleted"


def test_initial_may_be_a_set_and_is_validated():
    class Imported:
        status = IMAGE.field(initial={"queued", "active"})

    Imported().status = "active"
    with pytest.raises(InvalidInitialStatus):
        Imported().status = "saving"
    with pytest.raises(UnknownStatus):
        IMAGE.field(initial="activ")
    with pytest.raises(ValueError, match="at least one"):
        IMAGE.field(initial=[])


def test_reassigning_the_current_status_needs_a_self_loop_unless_allowed():
    img = Image("1")
    with pytest.raises(InvalidTransition):
        img.status = "queued"

    class Lenient:
        status = IMAGE.field(allow_unchanged=True)

    obj = Lenient()
    obj.status = "queued"
    obj.status = "queued"
    assert obj.status == "queued"


def test_status_members_are_stored_as_plain_strings():
    img = Image("1", status=IMAGE.Status.QUEUED)
    img.status = IMAGE.Status.SAVING
    assert type(img.status) is str
    assert img.status == "saving"
    with pytest.raises(InvalidTransition) as info:
        img.status = IMAGE.Status.QUEUED
    assert "'saving' -> 'queued'" in str(info.value)


def test_unset_read_delete_and_class_access():
    class Bare:
        status = IMAGE.field()

    obj = Bare()
    with pytest.raises(AttributeError, match="has no status yet"):
        _ = obj.status
    assert isinstance(Bare.status, StatusField)
    assert "status" in repr(Bare.status)
    obj.status = "queued"
    with pytest.raises(AttributeError, match="cannot be deleted"):
        del obj.status
    assert obj.status == "queued"


def test_field_fire_and_force():
    img = Image("1")
    assert Image.status.fire(img, "upload") == "saving"
    assert img.status == "saving"
    with pytest.raises(InvalidTransition):
        Image.status.fire(img, "scrub")
    Image.status.force(img, "queued")  # a repair: no transition check
    assert img.status == "queued"
    with pytest.raises(UnknownStatus):
        Image.status.force(img, "nope")


def test_two_fields_on_one_class_are_independent():
    class Pair:
        a = IMAGE.field()
        b = IMAGE.field(initial="*")

    obj = Pair()
    obj.a = "queued"
    obj.b = "active"
    obj.a = "saving"
    assert (obj.a, obj.b) == ("saving", "active")



def test_errors_pickle_and_name_members_by_value(image):
    import pickle

    with pytest.raises(InvalidTransition) as info:
        image.check(image.Status.SAVING, image.Status.QUEUED)
    assert "'saving' -> 'queued'" in str(info.value)
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.machine, copy.src, copy.dst, copy.allowed) == (
        "image", "saving", "queued", frozenset({"active", "killed", "deleted"})
    )
    assert str(copy) == str(info.value)
    with pytest.raises(InvalidInitialStatus) as first:
        Image("1", status="active")
    again = pickle.loads(pickle.dumps(first.value))
    assert (again.owner, again.dst, str(again)) == ("Image.status", "active", str(first.value))


def test_a_field_stores_in_its_own_attribute_and_copies_and_pickles_with_the_object():
    import copy
    import pickle

    img = Image("1")
    img.status = "saving"
    assert Image.status.storage_name == "__statusdoc_status"
    assert vars(img)["__statusdoc_status"] == "saving"
    for other in (copy.copy(img), copy.deepcopy(img), pickle.loads(pickle.dumps(img))):
        other.status = "active"  # each copy moves alone
        assert (other.status, img.status) == ("active", "saving")
        with pytest.raises(InvalidTransition):
            other.status = "saving"


def test_a_field_outside_a_class_body_is_refused_with_a_message():
    loose = IMAGE.field()
    assert loose.storage_name == ""

    class Late:
        pass

    Late.status = loose  # type: ignore[attr-defined]  # after the class: Python names nothing
    obj = Late()
    with pytest.raises(TypeError, match="not a class attribute"):
        obj.status = "queued"  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="not a class attribute"):
        _ = obj.status  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="not a class attribute"):
        loose.force(obj, "queued")
    assert vars(obj) == {}


def _set_name_error(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """Python 3.11 wraps an error of __set_name__ in a RuntimeError; 3.12 does not."""
    error = excinfo.value
    return str(error.__cause__ if isinstance(error, RuntimeError) else error)


def test_a_field_needs_one_identifier_name():
    shared = IMAGE.field()

    class First:
        status = shared

    class Again:  # the same name on another class is the same storage: allowed
        status = shared

    with pytest.raises((TypeError, RuntimeError)) as renamed:
        class Other:
            state = shared
    assert "already 'status'" in _set_name_error(renamed)
    with pytest.raises((TypeError, RuntimeError)) as spaced:
        type("Spaced", (), {"a status": IMAGE.field()})
    assert "identifier" in _set_name_error(spaced)
    obj = Again()
    obj.status = "queued"
    assert obj.status == "queued"


def test_a_value_stored_behind_the_fields_back_still_gets_a_precise_error():
    img = Image("1")
    vars(img)[Image.status.storage_name] = "no-such-status"
    with pytest.raises(UnknownStatus, match="no-such-status"):
        img.status = "saving"


def test_field_in_a_dataclass_defaults_to_the_initial_status():
    from dataclasses import dataclass

    @dataclass
    class Record:
        name: str
        status: str = IMAGE.field()

    rec = Record("a")
    assert rec.status == "queued"
    rec.status = "saving"
    assert Record("b", "queued").status == "queued"
    with pytest.raises(InvalidInitialStatus):
        Record("c", "active")

    @dataclass
    class Loaded:
        status: str = IMAGE.field(initial="*")

    assert Loaded("killed").status == "killed"
    assert Loaded().status == "queued"

    @dataclass
    class Strict:
        status: str = IMAGE.field(initial="active")

    with pytest.raises(TypeError, match="no status given"):
        Strict()
    assert Strict("active").status == "active"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*IMAGE.state_names, "nope"]), max_size=15))
def test_field_follows_the_spec_for_any_sequence_of_assignments(moves):
    img = Image("p")
    current = "queued"
    for move in moves:
        if move == "nope":
            with pytest.raises(UnknownStatus):
                img.status = move
        elif IMAGE.can(current, move):
            img.status = move
            current = move
        else:
            with pytest.raises(InvalidTransition) as info:
                img.status = move
            assert info.value.allowed == IMAGE.targets(current)
        assert img.status == current

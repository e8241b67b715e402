"""The package's public names resolve, lazily, to the objects that define them."""

from __future__ import annotations

import subprocess
import sys

import pytest

import statusdoc


@pytest.mark.parametrize("name", sorted(statusdoc._EXPORTS))
def test_every_export_resolves_to_its_defining_module(name: str) -> None:
    value = getattr(statusdoc, name)
    assert value.__module__ == statusdoc._EXPORTS[name]
    assert name in dir(statusdoc) and name in statusdoc.__all__


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        statusdoc.no_such_name  # noqa: B018


def test_import_statusdoc_loads_no_spec_code() -> None:
    code = (
        "import sys, statusdoc; "
        "print(sorted(m for m in sys.modules if m.startswith(('statusdoc.', 'yaml', 'jinja2'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_works_through_the_lazy_name(tmp_path) -> None:
    machine = statusdoc.loads(
        '[machine]\nname = "m"\ntitle = "M"\ninitial = "a"\n'
        '[states.a]\ndescription = "A."\n[states.b]\ndescription = "B."\nfinal = true\n'
        '[[transitions]]\nfrom = "a"\nto = "b"\n'
    )
    assert isinstance(machine, statusdoc.Machine)
    with pytest.raises(statusdoc.InvalidTransition):
        machine.check("b", "a")


def test_all_lists_exactly_the_exports() -> None:
    assert sorted(statusdoc.__all__) == sorted([*statusdoc._EXPORTS, "__version__"])

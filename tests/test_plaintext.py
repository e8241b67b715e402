"""RST prose as plain text (statusdoc.emit.plaintext), for the JSDoc and OpenAPI outputs."""

from __future__ import annotations

from statusdoc.emit.plaintext import plain_text


def test_what_a_reader_sees_is_kept_and_markup_is_dropped() -> None:
    text = """Hello *world*, ``code`` and a `link <https://x.example>`_.

.. a comment nobody sees

* item one
* item :unknown-role:`two` |undefined|

.. |sub| replace:: a substitution definition
.. _target: https://y.example

::

   literal    block
"""
    assert plain_text(text) == (
        "Hello world, code and a link.\n\nitem one\n\nitem two undefined\n\nliteral block")


def test_docutils_messages_never_reach_the_text() -> None:
    # an unclosed emphasis and a bad indentation make docutils add its own messages
    out = plain_text("a *b\n\n  c\n d")
    assert "Inline emphasis" not in out and "Unexpected" not in out
    assert out.startswith("a *b")


def test_empty_localised_and_unparsable_texts() -> None:
    assert plain_text("") == "" and plain_text("  \n ") == ""
    assert plain_text(".. note:: Achtung\n\n   Text", language="de") == "Achtung\n\nText"
    long_line = "x " * 6_000  # past docutils' line length limit: kept, folded
    assert plain_text(long_line + "\n\n  y  ") == long_line.strip() + "\n\ny"

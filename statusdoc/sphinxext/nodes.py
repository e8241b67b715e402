"""The one node type the extension adds: a status-machine diagram."""

from __future__ import annotations

from docutils import nodes


class statusdoc_diagram(nodes.General, nodes.Element):
    """A diagram of one machine, rendered from its DOT at write time.

    Attributes: ``dot`` (the DOT source), ``alt`` (text alternative), ``spec``
    (spec path, for messages), ``machine`` (machine name), ``format`` (``svg``,
    ``png`` or ``""`` for the configured default), ``align``, ``classes``.
    ``rows`` holds ``(from, to, label, event)`` of every transition: builders
    that cannot show images (text, man, texinfo, ...) get that table as the
    node's children when the doctree is resolved. HTML and LaTeX builders
    instead find ``uri`` (the rendered image's file name inside the
    builder's image directory). ``live`` (False with ``:static:``) and
    ``marks`` (:class:`statusdoc.htmldiagram.Marks`, links left out) are for
    the live diagram of the HTML builders (:mod:`statusdoc.sphinxext.live`).
    """

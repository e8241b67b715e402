"""The ``statusdoc`` domain: status entries as targets, the ``:status:`` role.

Domain data (merged after parallel reads, purged per document):

``statuses``
    ``{(machine, status): (docname, anchor, line)}`` — where each entry is.
``machines``
    ``{machine: {docname: (status, ...)}}`` — every status each machine
    defines, even when no page shows its entries (for helpful warnings).
``referrers``
    ``{docname: None}`` — documents that use ``:status:``; they are written
    again when a document defining statuses was re-read, so a status removed
    from a spec is reported in prose that did not change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from statusdoc.suggest import Budget, did_you_mean

logger = logging.getLogger(__name__)


def split_target(target: str) -> tuple[str | None, str]:
    """``"image:active"`` -> ``("image", "active")``; ``"active"`` -> ``(None, "active")``.

    The machine is what precedes the first colon (machine names are slugs), so
    ``"m:a:b"`` is status ``"a:b"`` of machine ``"m"``.
    """
    machine, sep, status = target.partition(":")
    if not sep:
        return None, target
    return machine, status


class StatusRole(XRefRole):
    """``:status:`active``` or ``:status:`image:active``` (or ``:status:`text <target>```)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        # Registered both as ``statusdoc:status`` and as plain ``status``:
        # either way the reference belongs to the statusdoc domain.
        self.name = "statusdoc:status"
        return super().run()

    def process_link(
        self, env: Any, refnode: nodes.Element, has_explicit_title: bool, title: str, target: str
    ) -> tuple[str, str]:
        """Keep the target; record the document as a user of the role."""
        target = target.strip()
        if not has_explicit_title:
            title = split_target(target)[1]
        env.domains["statusdoc"].note_referrer(env.docname)
        return title, target


class StatusdocDomain(Domain):
    """Statuses of the machines documented with statusdoc."""

    name = "statusdoc"
    label = "statusdoc"
    object_types: ClassVar[dict[str, ObjType]] = {"status": ObjType("status", "status")}
    roles: ClassVar[dict[str, Any]] = {
        "status": StatusRole(innernodeclass=nodes.literal, warn_dangling=True)
    }
    initial_data: ClassVar[dict[str, Any]] = {"statuses": {}, "machines": {}, "referrers": {}}

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        #: did-you-mean work left for this build, shared by every unknown-status warning
        self.suggestion_budget = Budget()

    # -- recording (read phase) ------------------------------------------------
    @property
    def statuses(self) -> dict[tuple[str, str], tuple[str, str, int]]:
        """``{(machine, status): (docname, anchor, line)}`` of every shown entry."""
        statuses: dict[tuple[str, str], tuple[str, str, int]] = self.data.setdefault(
            "statuses", {})
        return statuses

    @property
    def machines(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """``{machine: {docname: statuses}}`` for every page that uses a spec."""
        machines: dict[str, dict[str, tuple[str, ...]]] = self.data.setdefault("machines", {})
        return machines

    @property
    def referrers(self) -> dict[str, None]:
        """Documents that use ``:status:`` (an ordered set)."""
        referrers: dict[str, None] = self.data.setdefault("referrers", {})
        return referrers

    def note_machine(self, machine: str, docname: str, states: Iterable[str]) -> None:
        """Record that ``docname`` uses ``machine``, which defines ``states``."""
        self.machines.setdefault(machine, {})[docname] = tuple(states)

    def note_status(self, machine: str, status: str, docname: str, anchor: str, line: int) -> None:
        """Record the entry of ``status``; a second entry for it is reported."""
        key = (machine, status)
        other = self.statuses.get(key)
        if other is not None and other[0] != docname:
            logger.warning(
                "statusdoc: status %r of %r already has an entry in %s; "
                "show each status's entries once (use statusdoc-diagram or "
                "statusdoc-transitions elsewhere)",
                status, machine, other[0], location=(docname, line),
                type="statusdoc", subtype="duplicate",
            )
            return
        self.statuses[key] = (docname, anchor, line)

    def note_referrer(self, docname: str) -> None:
        """Record that ``docname`` uses the ``:status:`` role."""
        self.referrers[docname] = None

    def clear_doc(self, docname: str) -> None:
        """Forget everything ``docname`` recorded (it is being re-read or removed)."""
        for key, (doc, _anchor, _line) in list(self.statuses.items()):
            if doc == docname:
                del self.statuses[key]
        for machine, docs in list(self.machines.items()):
            docs.pop(docname, None)
            if not docs:
                del self.machines[machine]
        self.referrers.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take over what a parallel reader recorded for ``docnames``."""
        for key, value in otherdata.get("statuses", {}).items():
            if value[0] in docnames:
                mine = self.statuses.get(key)
                if mine is not None and mine[0] != value[0]:
                    logger.warning(
                        "statusdoc: status %r of %r already has an entry in %s",
                        key[1], key[0], mine[0], location=(value[0], value[2]),
                        type="statusdoc", subtype="duplicate",
                    )
                    continue
                self.statuses[key] = value
        for machine, docs in otherdata.get("machines", {}).items():
            for docname, states in docs.items():
                if docname in docnames:
                    self.machines.setdefault(machine, {})[docname] = states
        for docname in otherdata.get("referrers", {}):
            if docname in docnames:
                self.referrers[docname] = None

    # -- resolving (write phase) -----------------------------------------------
    def find(
        self, target: str, fromdoc: str, node: nodes.Node | None = None
    ) -> tuple[str, str] | None:
        """The ``(machine, status)`` key ``target`` names, or None."""
        machine, status = split_target(target)
        if machine is not None:
            key = (machine, status)
            if key in self.statuses or machine in self.machines:
                return key if key in self.statuses else None
            status = target  # no such machine: maybe a status name with a colon
        keys = sorted(k for k in self.statuses if k[1] == status)
        if not keys:
            return None
        if len(keys) > 1:
            here = [k for k in keys if self.statuses[k][0] == fromdoc]
            if len(here) == 1:
                return here[0]
            logger.warning(
                "statusdoc: status %r is ambiguous (machines: %s); linking %s, "
                "write :status:`machine:status`",
                status, ", ".join(k[0] for k in keys), f"{keys[0][0]}:{status}",
                location=node, type="statusdoc", subtype="ambiguous",
            )
        return keys[0]

    def resolve_xref(
        self, env: Any, fromdocname: str, builder: Any, typ: str, target: str,
        node: addnodes.pending_xref, contnode: nodes.Element,
    ) -> nodes.reference | None:
        """A link to the entry ``target`` names, or None (then a warning follows)."""
        key = self.find(target, fromdocname, node)
        if key is None:
            return None
        docname, anchor, _line = self.statuses[key]
        if not node.get("refexplicit"):
            # the link text is the status name as the spec spells it
            contnode = nodes.literal(key[1], key[1], classes=contnode.get("classes", []))
        if builder.name == "singlehtml":
            # Everything is on one page: a plain fragment (Sphinx would make
            # "#document-x#anchor", which browsers cannot follow).
            docname = fromdocname
        return make_refnode(builder, fromdocname, docname, anchor, contnode, f"{key[0]}:{key[1]}")

    def resolve_any_xref(
        self, env: Any, fromdocname: str, builder: Any, target: str,
        node: addnodes.pending_xref, contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """For the ``:any:`` role."""
        ref = self.resolve_xref(env, fromdocname, builder, "status", target, node, contnode)
        return [("statusdoc:status", ref)] if ref is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Every entry as ``machine:status``, for the inventory (intersphinx)."""
        for (machine, status), (docname, anchor, _line) in sorted(self.statuses.items()):
            yield f"{machine}:{status}", status, "status", docname, anchor, 1

    # -- messages --------------------------------------------------------------
    def explain_missing(self, target: str) -> str:
        """Why ``target`` did not resolve, with a suggestion when there is one."""
        machine, status = split_target(target)
        if machine is not None and machine not in self.machines:
            known = ", ".join(sorted(self.machines)) or "none documented"
            return f"unknown machine {machine!r} in status {target!r} (machines: {known})"
        candidates = {
            (m, s)
            for m, docs in self.machines.items()
            if machine in (None, m)
            for states in docs.values()
            for s in states
        }
        if any(s == status for _m, s in candidates):
            return (
                f"status {target!r} exists but no page shows its entry "
                "(add a statusdoc or statusdoc-statuses directive)"
            )
        names = sorted({s for _m, s in candidates})
        hint = did_you_mean(status, names, within=self.suggestion_budget)
        where = f" of machine {machine!r}" if machine else ""
        return f"unknown status {status!r}{where}{hint}"


def warn_missing_status(
    app: Any, domain: Domain | None, node: addnodes.pending_xref
) -> bool | None:
    """``warn-missing-reference`` handler: our own message, at the role's line."""
    if domain is None or domain.name != "statusdoc":
        return None
    message = domain.explain_missing(node["reftarget"])  # type: ignore[attr-defined]
    logger.warning("statusdoc: %s", message, location=node, type="statusdoc", subtype="status")
    return True


def _defining(env: Any) -> set[str]:
    domain = env.domains["statusdoc"]
    return {doc for docs in domain.machines.values() for doc in docs}


def referrers_to_rewrite(app: Any, env: Any) -> list[str]:
    """``env-get-updated``: write prose using ``:status:`` again when statuses may have changed.

    That is when a document that defines statuses was purged (changed or
    removed) or a document read in this build defines statuses (new or changed).
    """
    reread: set[str] = getattr(app, "_statusdoc_reread", set())
    purged: bool = getattr(app, "_statusdoc_purged_definitions", False)
    app._statusdoc_purged_definitions = False
    if not purged and not reread & _defining(env):
        return []
    domain = env.domains["statusdoc"]
    return sorted(d for d in domain.referrers if d not in reread)


def remember_reread(app: Any, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``: remember which documents this build reads."""
    app._statusdoc_reread = set(docnames)
    env.domains["statusdoc"].suggestion_budget = Budget()  # a new build, a full budget


def note_purge(app: Any, env: Any, docname: str) -> None:
    """``env-purge-doc``: note when a document defining statuses goes away or changes."""
    if docname in _defining(env):
        app._statusdoc_purged_definitions = True

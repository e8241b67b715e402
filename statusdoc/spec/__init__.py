"""Spec layer: load a spec file, validate it, build the immutable model."""

from statusdoc.spec.model import (
    DiagramStyle,
    Machine,
    State,
    TagStyle,
    Transition,
    TransitionRule,
)

__all__ = ["DiagramStyle", "Machine", "State", "TagStyle", "Transition", "TransitionRule"]

#!/usr/bin/env python3
"""Fake renderer that writes nothing and exits 0 (like Graphviz on empty input)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
sys.stdin.read()

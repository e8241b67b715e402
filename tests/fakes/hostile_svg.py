#!/usr/bin/env python3
"""Fake renderer that answers every request with the SVG in $FAKE_SVG (exit 0)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
sys.stdin.read()
sys.stdout.buffer.write(os.environ["FAKE_SVG"].encode("utf-8"))

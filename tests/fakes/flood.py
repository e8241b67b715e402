#!/usr/bin/env python3
"""Fake renderer that writes to standard output without end (stopped by the output cap)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
sys.stdin.read()
block = b"<svg>" + b"x" * (1 << 20)
while True:
    sys.stdout.buffer.write(block)

#!/usr/bin/env python3
"""Fake renderer that writes bytes that are no image, and exits 0."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
sys.stdin.read()
sys.stdout.buffer.write(b"\x00\x01garbage output, not an image\xff" * 20)

#!/usr/bin/env python3
"""Fake renderer that tries to allocate 3 GiB (stopped by the memory limit)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
sys.stdin.read()
block = bytearray(3 * 1024**3)
sys.stdout.write("<svg/>" if block else "")

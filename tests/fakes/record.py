#!/usr/bin/env python3
"""Fake renderer that logs each call to $FAKE_RECORD, then runs the real one ($FAKE_REAL)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, forward, record

answer_version()
record("call")
forward()

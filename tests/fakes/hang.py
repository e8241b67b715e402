#!/usr/bin/env python3
"""Fake renderer that never finishes (sleeps far past any test timeout)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
import time  # noqa: E402

time.sleep(300)

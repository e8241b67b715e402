#!/usr/bin/env python3
"""Real renderer after a pause: touches $FAKE_STARTED, sleeps $FAKE_SLEEP s, runs $FAKE_REAL."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, forward, record

answer_version()
record("call")
import time  # noqa: E402

started = os.environ.get("FAKE_STARTED")
if started:
    with open(started, "a"):
        pass
time.sleep(float(os.environ.get("FAKE_SLEEP", "30")))
forward()

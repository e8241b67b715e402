#!/usr/bin/env python3
"""Fake renderer killed mid-run by SIGKILL (like the OOM killer)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
import signal  # noqa: E402

sys.stdin.read()
sys.stdout.write("<svg partial")
sys.stdout.flush()
os.kill(os.getpid(), signal.SIGKILL)

#!/usr/bin/env python3
"""Fake renderer that starts a child, then both sleep; writes both pids to $FAKE_PIDFILE."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
pid = os.fork()
if pid == 0:
    time.sleep(300)
    os._exit(0)
tmp = os.environ["FAKE_PIDFILE"] + ".tmp"
with open(tmp, "w", encoding="ascii") as handle:
    handle.write(f"{os.getpid()} {pid}\n")
os.replace(tmp, os.environ["FAKE_PIDFILE"])
time.sleep(300)

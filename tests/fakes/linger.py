#!/usr/bin/env python3
"""Fake renderer that writes a small valid SVG and exits 0, leaving a child that
keeps standard output open (and sleeps); the child's pid goes to $FAKE_PIDFILE."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
sys.stdin.read()
sys.stdout.write('<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"></svg>\n')
sys.stdout.flush()
pid = os.fork()
if pid == 0:  # the child inherits stdout and never closes it
    time.sleep(300)
    os._exit(0)
with open(os.environ["FAKE_PIDFILE"], "w", encoding="ascii") as handle:
    handle.write(f"{pid}\n")

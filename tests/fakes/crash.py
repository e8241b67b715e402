#!/usr/bin/env python3
"""Fake renderer that crashes: message on stderr, exit 3."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import answer_version, record

answer_version()
record("call")
sys.stdin.read()
sys.stderr.write("fake: segmentation fault in layout\n")
sys.exit(3)

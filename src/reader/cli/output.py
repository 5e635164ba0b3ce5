"""How the command line writes: JSON to stdout, one object a call."""

from __future__ import annotations

import json
import sys


def print_json(obj) -> None:
    """Print ``obj`` as one line of JSON on stdout."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")

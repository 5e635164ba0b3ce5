"""``python -m reader.cli``: the same as the ``kreader`` command."""

import sys

from reader.cli import main

sys.exit(main())

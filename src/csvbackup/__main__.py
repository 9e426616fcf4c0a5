"""``python -m csvbackup``: the ``csvbackup`` command."""
import sys

from .cli import main

sys.exit(main())

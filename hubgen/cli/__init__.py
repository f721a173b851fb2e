"""The ``hubgen`` command line (``hubgen.cli:main``); each command lives in a module of its own."""

from hubgen.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from hubgen.cli.main import build_parser, main

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "UsageError", "build_parser", "main"]

"""The ``handover`` console script's first step: load the command, then run it.

Loading Sphinx, sphinx-needs and the extension takes a second or more, before the
command's own handling of Ctrl-C exists; an interrupt then would end in a traceback.
Only this module and the standard library are loaded before the ``try``; the
command itself handles an interrupt once it runs (``cli.main``).
"""

from __future__ import annotations

import sys


def entrypoint() -> None:
    try:
        from .cli import entrypoint as run

        run()  # handles Ctrl-C itself once a command runs
    except KeyboardInterrupt:
        print("handover: error: interrupted; nothing was left half-written", file=sys.stderr)
        raise SystemExit(130) from None

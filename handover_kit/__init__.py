"""handover-kit: operations handover packages as docs-as-code.

Importing the package loads nothing else: the ``handover`` command starts in
:mod:`handover_kit.launch`, which must be able to catch Ctrl-C while Sphinx loads.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    if name == "__version__":
        from sphinx_handover._version import __version__

        return __version__
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["__version__"]

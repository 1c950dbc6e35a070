"""handover-kit: operations handover packages as docs-as-code."""

from sphinx_handover._version import __version__

__all__ = ["__version__"]

"""handover-kit: operations handover packages as docs-as-code."""

__version__ = "0.1.0"
__all__ = ["__version__"]

"""The version of handover-kit, the one distribution that ships the extension and the CLI."""

__version__ = "0.1.0"

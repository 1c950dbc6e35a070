"""The template tree of `handover new`: data, not code (see handover_kit.scaffold)."""

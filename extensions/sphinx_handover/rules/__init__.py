"""The gate: each rule a small function with a stable id, run once over the model,
and the one verdict they produce (every view reads it; none recomputes it)."""

"""Finding secrets in every file of the package, remembering clean files, and
keeping what is found out of every output (redaction)."""

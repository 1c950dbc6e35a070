"""Writing a package: scaffolding a new one or adding to a Sphinx project, adding
runbooks and evidence records, and rewriting hashes, without losing a user's file."""

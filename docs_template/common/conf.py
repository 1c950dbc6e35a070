# Sphinx configuration of a handover package.
#
# The package's data (system, vendor, customer, release date, language, service
# hours, evidence policy) lives in handover.yaml: sphinx_handover reads it and sets
# the project name, the language and the sphinx-needs types. Build with
# `handover build .` (or plain `sphinx-build . _build/html`).
extensions = ["sphinx_handover"]

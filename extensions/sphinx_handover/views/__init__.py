"""What reviewers see in the pages: the readiness panel, checklist, charts, diagrams
and the views of handover.yaml's data, as directives rendered from the verdict."""

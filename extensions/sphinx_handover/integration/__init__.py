"""The Sphinx side: configuration of Sphinx, MyST and sphinx-needs, what one build
knows (state), where needs are written, the check builder and the gate's hooks."""

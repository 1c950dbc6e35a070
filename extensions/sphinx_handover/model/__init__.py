"""The package as data: its needs, handover.yaml, signoffs.yaml and conf.py, read
into typed records that keep the file and line of every value."""

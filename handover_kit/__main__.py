from handover_kit.cli import entrypoint

entrypoint()

from handover_kit.launch import entrypoint

entrypoint()

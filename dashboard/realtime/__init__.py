"""The browser side of the live path: the WebSocket consumer, the per-process
relays, the transport under daphne, the channel layer."""

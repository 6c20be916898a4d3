"""Who may see what: sessions and kiosk tokens, the watcher that re-checks open
sockets, the upstream authorization flow, security headers."""

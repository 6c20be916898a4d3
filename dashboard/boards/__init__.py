"""Dashboards, widgets and wallboards: their models, admin, pages, files and demo,
and the configuration the bridge reads from them."""

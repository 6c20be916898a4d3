"""The dashboard builder: an editor page, drafts, publishing with versions, the
statistic picker and the subscription budget (docs/architecture.md, "Builder")."""

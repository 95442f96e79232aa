"""Storage on SQLAlchemy: the event log, its projections, tokens and the audit chain."""

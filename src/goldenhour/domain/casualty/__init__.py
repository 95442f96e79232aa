"""The casualty record: an append-only history of events from which the current card is derived."""

"""Use cases: one function each; ports are parameters; the commit happens here."""

"""MEDEVAC requests: the 9-line value objects and their standard text form."""

"""Survival models: the probability that a casualty survives, given minutes from injury to care."""

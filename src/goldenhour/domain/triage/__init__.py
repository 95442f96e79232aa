"""Triage: categories, the rules that suggest them from a card, and overrides with reasons."""

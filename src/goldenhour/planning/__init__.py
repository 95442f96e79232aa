"""Evacuation planning: the only place OR-Tools is imported."""

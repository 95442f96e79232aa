"""The demo scenario, built from the seed dispatch (shared/seed/): Bilohorivka, June 2022."""

"""Tourniquet clocks: how long each limb has been without blood, derived from events and a "now"."""

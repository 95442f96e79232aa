"""Positions on the ground: latitude/longitude and the MGRS grid references medics read out."""

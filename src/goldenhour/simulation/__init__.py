"""The evacuation simulator: the only place SimPy is imported."""

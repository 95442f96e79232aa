"""Golden Hour: frontline casualty care and evacuation, from point of injury to surgery."""

__version__ = "0.1.0"

"""Adapters between the domain and the world: storage, TAK/CoT, FHIR, radio."""

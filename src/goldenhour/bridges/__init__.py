"""Bridges: applications that join Golden Hour to another system over its own protocol.

Each runs beside the server, as a client of its HTTP API (``goldenhour tak bridge``); the codecs
they speak (CoT) stay adapters, which they use.
"""

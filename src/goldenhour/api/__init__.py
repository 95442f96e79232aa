"""The HTTP API (FastAPI): one router per noun, built by create_app(settings)."""

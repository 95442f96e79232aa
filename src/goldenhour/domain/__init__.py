"""The domain core: plain Python with no web, storage, network or solver imports."""

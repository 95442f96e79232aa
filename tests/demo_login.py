"""The demo's password in the server tests' seeded databases.

Its own module, not the server tests' conftest: a run that collects several test folders has
several modules named ``conftest``, and ``from conftest import`` then finds whichever came last.
"""

DEMO_PASSWORD = "demo-password-for-tests"

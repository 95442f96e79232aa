"""Password hashing with Argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

#: A hash of a random password: verifying against it when a user name is unknown makes a
#: failed login take as long as a wrong password, so timing does not reveal user names.
_DUMMY_HASH = _hasher.hash("not a real password: 7c9e4f0a-timing")


def hash_password(password: str) -> str:
    """Return an Argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Tell whether ``password`` matches ``password_hash`` (``None``: spend the time, say no)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class Argon2Passwords:
    """Argon2id password checks (see ``domain.ports.PasswordCheck``)."""

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Tell whether ``password`` matches ``password_hash`` (``None``: spend the time, no)."""
        return verify_password(password_hash, password)

    def hash(self, password: str) -> str:
        """Return an Argon2id hash of ``password`` (see ``services.users.PasswordHasher``)."""
        return hash_password(password)

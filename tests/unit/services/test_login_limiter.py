"""The login limiter: per user name and address, and per user name from every address."""

from __future__ import annotations

from goldenhour.services.auth import LoginLimiter


class TestLoginLimiter:
    """Failed logins counted in a sliding window."""

    def test_a_user_name_and_address_is_stopped_after_its_attempts(self) -> None:
        """The sixth try from one address waits, when five are allowed."""
        limiter = LoginLimiter(attempts=5, window_seconds=300, account_attempts=20)
        for _ in range(5):
            limiter.failed("medic", "10.0.0.1")
        assert limiter.retry_after("medic", "10.0.0.1") > 0
        assert limiter.retry_after("medic", "10.0.0.2") == 0

    def test_a_user_name_tried_from_a_new_address_each_time_is_stopped_by_its_account_limit(
        self,
    ) -> None:
        """Twenty failures from twenty addresses stop the twenty-first try from anywhere."""
        limiter = LoginLimiter(attempts=5, window_seconds=300, account_attempts=20)
        for n in range(20):
            assert limiter.retry_after("medic", f"10.0.0.{n}") == 0
            limiter.failed("medic", f"10.0.0.{n}")
        assert limiter.retry_after("medic", "10.0.1.1") > 0
        assert limiter.retry_after("coordinator", "10.0.1.1") == 0

    def test_a_good_login_clears_its_address_but_not_the_accounts_count(self) -> None:
        """A success from one address does not reset what a guesser elsewhere has spent."""
        limiter = LoginLimiter(attempts=5, window_seconds=300, account_attempts=6)
        for n in range(5):
            limiter.failed("medic", f"10.0.0.{n}")
        limiter.succeeded("medic", "10.0.0.4")
        limiter.failed("medic", "10.0.0.9")
        assert limiter.retry_after("medic", "10.0.0.4") > 0

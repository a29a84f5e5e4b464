"""Lockout rules for django-axes: an account locks after ``AXES_FAILURE_LIMIT`` failures from
anywhere; an address (a school's shared connection) only after ``TRUSTLENS_ADDRESS_FAILURE_LIMIT``,
so one person mistyping cannot lock out a whole staffroom, while a guessing run from one address
across many accounts is still stopped. Both cool off after ``AXES_COOLOFF_TIME``."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

#: Order matters: ``get_failures`` reads the account's attempts first, then the address's.
LOCKOUT_PARAMETERS = ["username", "ip_address"]


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit for an address."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        account, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Expressed on the account's scale, so axes compares both with one limit.
        scaled = address * settings.AXES_FAILURE_LIMIT // settings.TRUSTLENS_ADDRESS_FAILURE_LIMIT
        return max(account, scaled)

"""Two-factor authentication: who may turn it on, setting up and confirming a TOTP device."""

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustlens.core.audit import log_event
from trustlens.core.models import AuditEvent
from trustlens.people.choices import Role
from trustlens.people.models import RoleGrant

#: Roles whose holders may protect their sign-in with an authenticator app (the DPO reads every
#: pupil id in the audit log and downloads subject access files).
TWO_FACTOR_ROLES = frozenset(
    {Role.TRUST_EXECUTIVE, Role.DATA_MANAGER, Role.DATA_PROTECTION_OFFICER}
)
DEVICE_NAME = "Authenticator app"


def may_use_two_factor(user: Any) -> bool:
    return RoleGrant.objects.filter(user=user, role__in=TWO_FACTOR_ROLES).exists()


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed device (a new secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The shared secret as authenticator apps take it typed in (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def confirm_device(user: Any, token: str) -> bool:
    """Turn two-factor on if ``token`` is a current code of the pending device."""
    device = pending_device(user)
    if not device.verify_token(token.strip()):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log_event(user, AuditEvent.Action.UPDATE, "accounts.two_factor", "turned on two-factor")
    return True


def turn_off(user: Any) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        log_event(user, AuditEvent.Action.UPDATE, "accounts.two_factor", "turned off two-factor")


def verify_code(user: Any, token: str) -> TOTPDevice | None:
    """The user's confirmed device if ``token`` is a current code from it."""
    device = confirmed_device(user)
    if device is not None and token and device.verify_token(token.strip()):
        return device
    return None

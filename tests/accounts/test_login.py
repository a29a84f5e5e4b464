"""Signing in: lockout after failed attempts (by account, and by address at a higher limit),
two-factor codes for the users who turn them on, the set-up page and password rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustlens.people.choices import Role
from trustlens.people.factories import UserFactory
from trustlens.people.services import grant_role

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def users():
    return [UserFactory(username=name) for name in ("ada", "ben")]


def test_the_eleventh_attempt_is_refused_while_another_account_signs_in(users, settings):
    settings.AXES_FAILURE_LIMIT = 10
    client = Client()
    for _ in range(9):
        assert sign_in(client, "ada", "wrong password").status_code == 200
    tenth = sign_in(client, "ada", "wrong password")  # checked, fails, and locks the account
    assert tenth.status_code == 429
    refused = sign_in(client, "ada")  # the right password, too late
    assert refused.status_code == 429
    assert "Signing in is paused" in refused.content.decode()
    assert "30 minutes" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client()
    assert sign_in(other, "ben").status_code == 302
    assert other.session["_auth_user_id"] == str(users[1].pk)


def test_nine_failures_then_the_right_password_signs_in(users):
    client = Client()
    for _ in range(9):
        sign_in(client, "ada", "wrong password")
    assert sign_in(client, "ada").status_code == 302


def test_one_address_guessing_across_accounts_is_locked_at_its_own_limit(users, settings):
    settings.TRUSTLENS_ADDRESS_FAILURE_LIMIT = 20
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong password")  # 1 failure per account: no account lock
    assert sign_in(client, "ben").status_code == 429
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "ben").status_code == 302


@pytest.fixture
def data_manager(world):
    user = UserFactory(username="dm")
    grant_role(user, Role.DATA_MANAGER, world.academy_a)
    return user


def confirmed(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_two_factor_code_required_once_turned_on(data_manager):
    device = confirmed(data_manager)
    missing = sign_in(Client(), "dm")
    assert missing.status_code == 200 and "Enter the 6-digit code" in missing.content.decode()
    wrong = sign_in(Client(), "dm", otp_token="000000" if current_code(device) != "000000" else "1")
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a wrong code slows the next guesses
    device.throttle_reset()
    client = Client()
    assert sign_in(client, "dm", otp_token=current_code(device)).status_code == 302
    assert client.session["_auth_user_id"] == str(data_manager.pk)
    assert client.session.get("otp_device_id") == device.persistent_id


def test_users_without_two_factor_sign_in_with_a_password_only(users):
    assert sign_in(Client(), "ada").status_code == 302


def test_set_up_shows_a_secret_and_a_code_turns_two_factor_on(data_manager):
    client = Client()
    client.force_login(data_manager)
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    pending = TOTPDevice.objects.get(user=data_manager, confirmed=False)
    assert page.context["secret"] in page.content.decode()
    assert page.context["config_url"].startswith("otpauth://totp/")
    bad = client.post(reverse("two_factor"), {"otp_token": "12"})
    assert "not right" in bad.content.decode()
    assert not TOTPDevice.objects.filter(user=data_manager, confirmed=True).exists()
    pending.refresh_from_db()
    pending.throttle_reset()
    done = client.post(reverse("two_factor"), {"otp_token": current_code(pending)})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert "is <strong>on</strong>" in client.get(reverse("two_factor")).content.decode()


def test_two_factor_set_up_is_for_executives_and_data_managers_only(world):
    teacher = UserFactory(username="teach")
    grant_role(teacher, Role.TEACHER, world.academy_a)
    client = Client()
    client.force_login(teacher)
    assert client.get(reverse("two_factor")).status_code == 403


def test_password_rules_refuse_short_common_and_numeric_passwords(users):
    for weak in ("short1", "password1234", "123456789012", "ada@example.org"):
        with pytest.raises(ValidationError):
            validate_password(weak, users[0])
    validate_password(PASSWORD, users[0])

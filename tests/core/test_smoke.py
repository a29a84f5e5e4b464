"""Smoke: the landing page shows each user their own scope."""

import pytest


@pytest.mark.django_db
def test_landing_page_lists_only_own_academy(world, head_a, client_for):
    response = client_for(head_a).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alderbrook Academy" in body
    assert "Bramblewood Academy" not in body
    assert "Xenon Ridge Academy" not in body


@pytest.mark.django_db
def test_executive_sees_whole_trust_not_other_trust(world, exec_user, client_for):
    body = client_for(exec_user).get("/").content.decode()
    assert "Alderbrook Academy" in body and "Bramblewood Academy" in body
    assert "Xenon Ridge Academy" not in body


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

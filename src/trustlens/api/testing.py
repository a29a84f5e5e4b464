"""Scoping meta-test parameters owned by the API app: a token of a user of the given academy
(nobody but its owner may read or revoke it)."""

from trustlens.core.testing import scope_param


@scope_param("token_id")
def token_in(academy):
    from trustlens.api.services import issue_token
    from trustlens.people.choices import Role
    from trustlens.people.factories import UserFactory
    from trustlens.people.services import grant_role

    user = UserFactory(
        username=f"api_owner_{academy.urn}_{UserFactory._meta.model.objects.count()}"
    )
    grant_role(user, Role.HEADTEACHER, academy)
    return issue_token(user, name=f"Token of {academy.name}").token.pk


@scope_param("practice_profile_id")
def practice_profile_in(academy):
    """A practice profile of the academy from enough respondents to be shown."""
    from trustlens.practice.factories import PracticeProfileFactory

    return PracticeProfileFactory(academy=academy, area=f"area-{academy.urn}").pk

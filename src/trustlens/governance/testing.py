"""Scoping meta-test parameters of how the trust works: trust-level records of the academy's
trust (their pages are for the trust's executives), and a deviation of the academy itself."""

from trustlens.core.testing import scope_param


def _domain(academy):
    from trustlens.governance.factories import DomainFactory

    return DomainFactory(trust=academy.trust)


@scope_param("matrix_proposal_id")
def proposal_of(academy):
    from trustlens.governance.factories import ProposalFactory

    return ProposalFactory(domain=_domain(academy)).pk


@scope_param("matrix_domain_id")
def domain_of(academy):
    return _domain(academy).pk


@scope_param("deviation_id")
def deviation_in(academy):
    from trustlens.governance.factories import DeviationFactory

    return DeviationFactory(academy=academy, reason=f"Deviation of {academy.name}").pk


@scope_param("autonomy_rule_id")
def rule_of(academy):
    from trustlens.governance.factories import RuleFactory

    return RuleFactory(domain=_domain(academy)).pk


@scope_param("selfeval_framework_id")
def framework_of(academy):
    from trustlens.governance.factories import FrameworkFactory

    return FrameworkFactory(trust=academy.trust).pk


@scope_param("selfeval_round_id")
def round_of(academy):
    from trustlens.governance.factories import FrameworkFactory, RoundFactory

    return RoundFactory(framework=FrameworkFactory(trust=academy.trust)).pk

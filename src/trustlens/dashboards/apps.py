from typing import Any

from django.apps import AppConfig


def rebuild_summaries_after_import(sender: Any, trust_slug: str, **kwargs: Any) -> None:
    """``core.hooks.after_import`` receiver: rebuild the trust's summaries from the new store."""
    from trustlens.core.fragments import bump_data_version
    from trustlens.dashboards.services import rebuild_summaries

    rebuild_summaries(trust_slug)
    # core bumped the version before this receiver ran: a request in between may have cached
    # fragments built from the old summaries under the new version; retire them now.
    bump_data_version(trust_slug)


def rebuild_summaries_after_rewrite(
    sender: Any, trust_slug: str, from_scratch: bool = False, **kwargs: Any
) -> None:
    """``core.hooks.store_rewritten`` receiver (a restore, an erasure)."""
    from trustlens.core.fragments import bump_data_version
    from trustlens.dashboards.services import rebuild_summaries, rebuild_summaries_from_scratch

    (rebuild_summaries_from_scratch if from_scratch else rebuild_summaries)(trust_slug)
    bump_data_version(trust_slug)  # after the rebuild, as above


class DashboardsConfig(AppConfig):
    name = "trustlens.dashboards"
    label = "dashboards"

    def ready(self) -> None:
        """Connect the summary rebuild to imports and provide improvement's academy headline."""
        from trustlens.core import hooks
        from trustlens.dashboards.choices import MEASURES
        from trustlens.dashboards.services import academy_headline

        hooks.after_import.connect(
            rebuild_summaries_after_import, dispatch_uid="dashboards.rebuild_summaries"
        )
        hooks.store_rewritten.connect(
            rebuild_summaries_after_rewrite, dispatch_uid="dashboards.rebuild_after_rewrite"
        )
        hooks.register_academy_headline(academy_headline, MEASURES)
        from trustlens.dashboards import board_sections

        board_sections.register()

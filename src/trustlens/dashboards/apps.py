from typing import Any

from django.apps import AppConfig


def rebuild_summaries_after_import(sender: Any, trust_slug: str, **kwargs: Any) -> None:
    """``core.hooks.after_import`` receiver: rebuild the trust's summaries from the new store."""
    from trustlens.dashboards.services import rebuild_summaries

    rebuild_summaries(trust_slug)


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
        hooks.register_academy_headline(academy_headline, MEASURES)

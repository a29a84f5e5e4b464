from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trustlens.accounts"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from django.contrib.auth import signals

        from trustlens.accounts import audit

        audit.register()
        signals.user_logged_in.connect(audit.on_logged_in, dispatch_uid="trustlens-audit-in")
        signals.user_logged_out.connect(audit.on_logged_out, dispatch_uid="trustlens-audit-out")
        signals.user_login_failed.connect(
            audit.on_login_failed, dispatch_uid="trustlens-audit-failed"
        )

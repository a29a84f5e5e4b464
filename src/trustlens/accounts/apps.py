from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trustlens.accounts"
    verbose_name = "Sign-in security"

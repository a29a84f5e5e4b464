"""Root URL configuration: one include per domain app.

The account pages (password change and reset) are Django's auth views with the
app's own templates (``core/templates/registration/``): Django admin's templates of the same
names would otherwise win (the admin app is listed first) and their "Home" link leads to the
admin login. Same paths and names as ``django.contrib.auth.urls``, listed first so they answer.
"""

from django.contrib import admin
from django.contrib.auth import views as auth
from django.urls import include, path

from trustlens.improvement.urls import quality_urlpatterns as improvement_in_quality
from trustlens.quality.urls import urlpatterns as quality_urlpatterns

#: (path, Django auth view, URL name, template under ``registration/``) of each account page.
ACCOUNT_PAGES = (
    ("password_change/", auth.PasswordChangeView, "password_change", "change_password"),
    (
        "password_change/done/",
        auth.PasswordChangeDoneView,
        "password_change_done",
        "change_password_done",
    ),
    ("password_reset/", auth.PasswordResetView, "password_reset", "reset_password"),
    (
        "password_reset/done/",
        auth.PasswordResetDoneView,
        "password_reset_done",
        "reset_password_sent",
    ),
    (
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView,
        "password_reset_confirm",
        "reset_password_confirm",
    ),
    (
        "reset/done/",
        auth.PasswordResetCompleteView,
        "password_reset_complete",
        "reset_password_complete",
    ),
)
#: The reset view's e-mail templates (the other views take only their page's template).
RESET_EMAIL = {
    "email_template_name": "registration/reset_password_email.txt",
    "subject_template_name": "registration/reset_password_subject.txt",
}

account_pages = [
    path(
        route,
        view.as_view(
            template_name=f"registration/{template}.html",
            **(RESET_EMAIL if view is auth.PasswordResetView else {}),
        ),
        name=name,
    )
    for route, view, name, template in ACCOUNT_PAGES
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("trustlens.accounts.urls")),
    path("accounts/", include(account_pages)),
    path("accounts/", include("trustlens.people.urls")),
    path("", include("trustlens.dashboards.urls")),
    path("organisations/", include("trustlens.organisations.urls")),
    path("pupils/", include("trustlens.pupils.urls")),
    path("assessment/", include("trustlens.assessment.urls")),
    path("imports/", include("trustlens.imports.urls")),
    path("quality/", include((quality_urlpatterns + improvement_in_quality, "quality"))),
    path("improvement/", include("trustlens.improvement.urls")),
    path("interventions/", include("trustlens.interventions.urls")),
    path("practice/", include("trustlens.practice.urls")),
    path("people/", include("trustlens.development.urls")),
    path("trust/", include("trustlens.governance.urls")),
    path("network/", include("trustlens.networks.urls")),
    path("api/v1/", include("trustlens.api.urls")),
]

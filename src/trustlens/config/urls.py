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

account_pages = [
    path(
        "password_change/",
        auth.PasswordChangeView.as_view(template_name="registration/change_password.html"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth.PasswordChangeDoneView.as_view(template_name="registration/change_password_done.html"),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        auth.PasswordResetView.as_view(
            template_name="registration/reset_password.html",
            email_template_name="registration/reset_password_email.txt",
            subject_template_name="registration/reset_password_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth.PasswordResetDoneView.as_view(template_name="registration/reset_password_sent.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="registration/reset_password_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth.PasswordResetCompleteView.as_view(
            template_name="registration/reset_password_complete.html"
        ),
        name="password_reset_complete",
    ),
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
]

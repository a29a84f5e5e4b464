"""Sign-in and two-factor pages (under /accounts/, before Django's own auth URLs), and the data
protection officer's audit pages in the ``accounts`` namespace (``accounts:audit``)."""

from django.urls import include, path

from trustlens.accounts import views

audit_pages = [
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("audit/subject-access/", views.subject_access, name="subject_access"),
]

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("", include((audit_pages, "accounts"))),
]

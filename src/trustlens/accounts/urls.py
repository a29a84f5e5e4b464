"""Sign-in and two-factor pages (under /accounts/, before Django's own auth URLs)."""

from django.urls import path

from trustlens.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("two-factor/", views.two_factor, name="two_factor"),
]

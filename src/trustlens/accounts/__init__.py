"""accounts: signing in safely (lockout after failed attempts, optional two-factor codes).

Separate from ``people`` (who holds which role where): this app owns the sign-in itself. It has
no models of its own; lockouts are django-axes' tables and authenticator devices django-otp's.
"""

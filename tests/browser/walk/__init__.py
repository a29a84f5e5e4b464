"""The walk (issue 22): every page every role can reach from the navigation, held to one bar.

``trust`` builds the synthetic trust (``trustlens synth``, ``import``, ``demo-users``,
``demo-workflow``, in process); ``urlconf`` names the URL patterns from ``django.urls``;
``checks`` holds the per-page rules; ``crawler`` walks one role breadth-first; ``report``
writes the JSON report and the summary table. The test is tests/browser/test_walk.py.
"""

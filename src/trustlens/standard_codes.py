"""Codes of the trustlens standard schema shared by the Django-free packages.

``ingest`` validates against them and ``synth`` generates them; neither may import the other
(they are independent siblings in the layers contract), so the shared codes live here.
"""

#: Why a pupil left an academy (``enrolments.leaving_reason``).
LEAVING_REASONS = (
    "transfer_state",
    "transfer_independent",
    "elective_home",
    "emigrated",
    "permanent_exclusion",
    "end_of_phase",
    "unknown",
)

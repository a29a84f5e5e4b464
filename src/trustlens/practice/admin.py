"""practice: admin for superusers running the installation (every row, explicitly unscoped).
Survey responses are not registered: they stay anonymous even to the admin list."""

from trustlens.core.admin import register_unscoped as register
from trustlens.practice import models as m

register(m.PracticeProfile, ("academy", "academic_year", "area", "score", "respondents", "source"))
register(m.SurveyCompletion, ("academy", "academic_year", "instrument_version"))
register(m.DataSharingRecord, ("recipient", "organisation", "trust", "academic_year", "expires_on"))

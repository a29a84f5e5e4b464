"""development: admin for superusers running the installation (every row, explicitly unscoped)."""

from trustlens.core.admin import register_unscoped as register
from trustlens.development import models as m

register(m.PeopleSettings, ("trust", "max_give_percent", "leader_days_per_term"))
register(m.StaffMember, ("name", "academy", "job_title", "is_leader", "days_available"))
register(m.Expertise, ("staff", "area", "topic", "level"), list_filter=("area", "level"))
register(m.Need, ("title", "academy", "area", "topic", "status"), list_filter=("status",))
register(m.Deployment, ("staff", "from_academy", "to_academy", "days", "status"))
register(m.CoachingModel, ("name", "trust"))
register(m.CoachingPair, ("coach", "coachee", "model", "active"))
register(m.CoachingSession, ("pair", "held_on", "focus"))
register(m.CpdSession, ("title", "host_academy", "held_on"))
register(m.CpdAttendance, ("session", "staff"))
register(m.CpdEvaluation, ("session", "level", "positive_percent"))
register(m.InquiryProject, ("question", "lead_academy", "kind"))
register(m.InquiryCycle, ("project", "step", "held_on"))
register(m.Programme, ("name", "trust", "kind"))
register(m.ProgrammePlace, ("programme", "staff", "status"))
register(m.KeyRole, ("title", "academy", "holder"))
register(m.Successor, ("role", "staff", "readiness"))

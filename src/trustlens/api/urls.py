"""REST API v1 (docs/api.md). SimpleRouter: no format-suffix routes; descriptive id names."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from trustlens.api import figures, records, reference, views, writes

app_name = "api"

router = SimpleRouter()
router.register("academies", views.AcademyViewSet, basename="academy")
router.register("pupils", views.PupilViewSet, basename="pupil")
router.register("classes", views.ClassViewSet, basename="class")
router.register("assessment-windows", figures.WindowViewSet, basename="window")
router.register("qa/activities", views.ActivityViewSet, basename="activity")
router.register("qa/findings", views.FindingViewSet, basename="finding")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("actions", views.ActionViewSet, basename="action")
router.register("support", views.SupportViewSet, basename="support")
router.register("interventions", views.InterventionViewSet, basename="intervention")
router.register("people/staff", records.StaffViewSet, basename="staff")
router.register("people/expertise", records.ExpertiseViewSet, basename="expertise")
router.register("people/needs", records.NeedViewSet, basename="need")
router.register("people/deployments", records.DeploymentViewSet, basename="deployment")
router.register("people/coaching-pairs", records.CoachingPairViewSet, basename="coaching-pair")
router.register("framework/domains", records.DomainViewSet, basename="matrix-domain")
router.register("framework/deviations", records.DeviationViewSet, basename="deviation")
router.register("framework/self-evaluation-rounds", records.RoundViewSet, basename="round")
router.register("practice/profiles", records.ProfileViewSet, basename="practice-profile")
router.register("networks", records.NetworkViewSet, basename="network")
router.register("imports", writes.ImportViewSet, basename="import")
router.register("tokens", writes.TokenViewSet, basename="token")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", reference.reference, name="docs"),
    path("organisation/", views.OrganisationView.as_view(), name="organisation"),
    path("measures/", figures.MeasureView.as_view(), name="measures"),
    path("summaries/", figures.SummaryView.as_view(), name="summaries"),
    path("completeness/", figures.CompletenessView.as_view(), name="completeness"),
    *router.urls,
]

"""Admin for the assessment calendar."""

from django.contrib import admin

from trustlens.assessment.models import AssessmentWindow


@admin.register(AssessmentWindow)
class AssessmentWindowAdmin(admin.ModelAdmin):
    list_display = ("trust", "academic_year", "term", "opens", "closes")
    list_filter = ("trust", "academic_year", "term")

    def get_queryset(self, request):
        return AssessmentWindow.objects.unscoped()

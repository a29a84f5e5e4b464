"""URLs of the improvement app."""

app_name = "improvement"
urlpatterns: list = []

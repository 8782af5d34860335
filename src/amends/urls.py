from django.urls import include, path

from amends.api import api

urlpatterns = [
    path("", include("amends.core.urls")),
    path("", include("amends.cases.urls")),
    path("", include("amends.messaging.urls")),
    path("", include("amends.process.urls")),
    path("", include("amends.regimes.urls")),
    path("", include("amends.signals.urls")),
    path("", include("amends.letters.urls")),
    path("", include("amends.customers.urls")),
    path("", include("amends.care.urls")),
    path("", include("amends.intake.urls")),
    path("", include("amends.experience.urls")),
    path("", include("amends.portal.urls")),
    path("", include("amends.assessment.urls")),
    path("", include("amends.practice.urls")),
    path("", include("amends.knowledge.urls")),
    path("", include("amends.conduct.urls")),
    path("", include("amends.problems.urls")),
    path("", include("amends.insights.urls")),
    path("", include("amends.monitoring.urls")),
    path("", include("amends.improvement.urls")),
    path("", include("amends.returns.urls")),
    path("api/v1/", api.urls),
]

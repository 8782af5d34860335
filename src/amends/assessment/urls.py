from django.urls import path

from . import portfolio_views as pv
from . import views

urlpatterns = [
    path("cases/<str:reference>/observations", views.case_observe, name="case_observe"),
    path("cases/<str:reference>/witness", views.case_witness, name="case_witness"),
    path("competence/", pv.competence, name="competence"),
    path("competence/enrol", pv.competence_enrol, name="competence_enrol"),
    path("competence/learners/<int:pk>/", pv.competence_learner, name="competence_learner"),
    path("competence/learners/<int:pk>/portfolio.pdf", pv.competence_pdf, name="competence_pdf"),
    path("competence/learners/<int:pk>/reflect", pv.competence_reflect, name="competence_reflect"),
    path(
        "competence/learners/<int:pk>/criteria/<str:unit>/<str:code>/",
        pv.competence_criterion,
        name="competence_criterion",
    ),
    path(
        "competence/learners/<int:pk>/criteria/<str:unit>/<str:code>/decide",
        pv.competence_decide,
        name="competence_decide",
    ),
    path("competence/learners/<int:pk>/xapi.json", pv.competence_xapi, name="competence_xapi"),
    path("competence/learners/<int:pk>/badges/<str:unit>.json", pv.competence_badge, name="competence_badge"),
    path("competence/case/<str:unit>.json", pv.competence_case, name="competence_case"),
    path("competence/evidence/<int:item>/tags", pv.competence_tags, name="competence_tags"),
    path("competence/sampling/", pv.competence_sampling, name="competence_sampling"),
    path("competence/sampling/plan", pv.competence_plan, name="competence_plan"),
    path("competence/sampling/<int:decision>", pv.competence_sample, name="competence_sample"),
    path("competence/disruptions/", pv.competence_disruptions, name="competence_disruptions"),
    path("competence/disruptions/add", pv.competence_disruption_add, name="competence_disruption_add"),
]

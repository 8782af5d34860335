from django.urls import path

from . import views

urlpatterns = [
    path("knowledge/", views.knowledge, name="knowledge"),
    path("knowledge/start", views.knowledge_start, name="knowledge_start"),
    path("knowledge/checks/<int:attempt_id>/", views.knowledge_attempt, name="knowledge_attempt"),
    path("knowledge/learners/<int:learner_id>/", views.knowledge_learner, name="knowledge_learner"),
    path("knowledge/marking/", views.knowledge_marking, name="knowledge_marking"),
    path("knowledge/answers/<int:answer_id>/mark", views.knowledge_mark, name="knowledge_mark"),
]

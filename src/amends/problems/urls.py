from django.urls import path

from . import views

urlpatterns = [
    path("problems/", views.problems, name="problems"),
    path("problems/open", views.problem_new, name="problem_new"),
    path("problems/owners/", views.product_owners, name="product_owners"),
    path("problems/<int:problem_id>/", views.problem, name="problem"),
    path("problems/<int:problem_id>/edit", views.problem_edit, name="problem_edit"),
    path("problems/<int:problem_id>/cases", views.problem_cases, name="problem_cases"),
    path("problems/<int:problem_id>/merge", views.problem_merge, name="problem_merge"),
    path("problems/<int:problem_id>/split", views.problem_split, name="problem_split"),
    path("problems/<int:problem_id>/tell", views.problem_tell, name="problem_tell"),
]

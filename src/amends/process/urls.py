from django.urls import path

from . import directory, taxonomy_views, views

urlpatterns = [
    path("authority/", views.authority_limits, name="authority_limits"),
    path("settings/root-causes/", taxonomy_views.root_causes, name="root_causes"),
    path("settings/root-causes/add", taxonomy_views.root_cause_add, name="root_cause_add"),
    path(
        "settings/root-causes/<slug:code>/rename", taxonomy_views.root_cause_rename, name="root_cause_rename"
    ),
    path(
        "settings/root-causes/<slug:code>/retire", taxonomy_views.root_cause_retire, name="root_cause_retire"
    ),
    path(
        "settings/root-causes/<slug:code>/restore",
        taxonomy_views.root_cause_restore,
        name="root_cause_restore",
    ),
    path("settings/root-causes/<slug:code>/move", taxonomy_views.root_cause_move, name="root_cause_move"),
    path("directory/", directory.directory, name="directory"),
    path("directory/<int:user_id>/edit", directory.directory_edit, name="directory_edit"),
    path("promises/", views.my_promises, name="my_promises"),
    path("cases/<str:reference>/process/<slug:action>", views.process_action, name="process_action"),
    path("cases/<str:reference>/letters/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
    path("cases/<str:reference>/evidence/<int:pk>", views.evidence_file_download, name="evidence_file"),
    path(
        "cases/<str:reference>/evidence/<int:pk>/preview",
        views.evidence_file_preview,
        name="evidence_preview",
    ),
    path(
        "cases/<str:reference>/letters/<int:letter>/enclosures/<int:pk>",
        views.enclosure_download,
        name="enclosure_file",
    ),
    path(
        "cases/<str:reference>/letters/<int:letter>/enclosures/<int:pk>/preview",
        views.enclosure_preview,
        name="enclosure_preview",
    ),
]

from django.urls import path

from tansiq.volunteers.views import profiles as views

app_name = "volunteers"
urlpatterns = [
    path("volunteering/", views.profile, name="profile"),
    path("volunteering/profile/", views.edit_profile, name="edit_profile"),
    path("volunteering/agreements/", views.agreements, name="agreements"),
    path("volunteering/agreements/<int:pk>/accept/", views.accept, name="accept"),
    path("volunteering/guardian/", views.guardian, name="guardian"),
    path("volunteering/my-data/", views.my_data, name="my_data"),
    path("volunteering/volunteers/", views.finder, name="finder"),
    path("volunteering/volunteers/<uuid:uuid>/", views.volunteer, name="volunteer"),
    path(
        "volunteering/organisations/<slug:slug>/settings/",
        views.organisation_settings,
        name="organisation_settings",
    ),
]

# Trainings and qualifications; assignment runs; the network's yearly achievements.
from tansiq.volunteers.views import achievements as achievement_views  # noqa: E402
from tansiq.volunteers.views import assignments as assignment_views  # noqa: E402
from tansiq.volunteers.views import trainings as training_views  # noqa: E402

urlpatterns += [
    path("volunteering/trainings/", training_views.trainings, name="trainings"),
    path("volunteering/trainings/new/", training_views.new_training, name="new_training"),
    path(
        "volunteering/organisations/<slug:slug>/trainings/new/",
        training_views.new_training,
        name="new_organisation_training",
    ),
    path("volunteering/trainings/<uuid:uuid>/", training_views.training, name="training"),
    path("volunteering/trainings/<uuid:uuid>/enrol/", training_views.enrol, name="enrol"),
    path("volunteering/trainings/<uuid:uuid>/leave/", training_views.withdraw, name="withdraw_training"),
    path("volunteering/trainings/<uuid:uuid>/attendance/", training_views.attendance, name="training_attendance"),
    path("volunteering/trainings/<uuid:uuid>/outcome/", training_views.complete, name="complete_training"),
    path("volunteering/qualifications/", training_views.qualifications, name="qualifications"),
    path(
        "volunteering/organisations/<slug:slug>/volunteers/<uuid:uuid>/document-check/",
        training_views.document_check,
        name="document_check",
    ),
    path(
        "volunteering/opportunities/<uuid:uuid>/assignment/",
        assignment_views.assignment,
        name="assignment",
    ),
    path("volunteering/achievements/<slug:slug>/", achievement_views.achievements, name="achievements"),
]

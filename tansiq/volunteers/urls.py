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

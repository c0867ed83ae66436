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

# Hours, check-in, certificates, the volunteer's dashboard and calendar.
from tansiq.volunteers.views import hours as hours_views  # noqa: E402

urlpatterns += [
    path("volunteering/dashboard/", hours_views.dashboard, name="dashboard"),
    path("volunteering/my-shifts/", hours_views.my_shifts, name="my_shifts"),
    path("volunteering/my-hours/", hours_views.my_hours, name="my_hours"),
    path("volunteering/calendar/", hours_views.calendar_settings, name="calendar"),
    path("volunteering/calendar/<str:token>.ics", hours_views.calendar_feed, name="calendar_feed"),
    path("volunteering/check-in/<str:token>/", hours_views.self_check_in, name="self_check_in"),
    path("volunteering/organisations/<slug:slug>/shifts/", hours_views.organisation_shifts, name="organisation_shifts"),
    path(
        "volunteering/opportunities/<uuid:uuid>/shifts/<int:pk>/check-in/",
        hours_views.shift_check_in,
        name="shift_check_in",
    ),
    path(
        "volunteering/opportunities/<uuid:uuid>/shifts/<int:pk>/new-code/",
        hours_views.rotate_code,
        name="rotate_code",
    ),
    path(
        "volunteering/opportunities/<uuid:uuid>/shifts/<int:pk>/attendance/",
        hours_views.attendance,
        name="attendance",
    ),
    path("volunteering/organisations/<slug:slug>/hours/", hours_views.organisation_hours, name="organisation_hours"),
    path(
        "volunteering/organisations/<slug:slug>/hours/<int:pk>/decline/",
        hours_views.decline_hours,
        name="decline_hours",
    ),
    path(
        "volunteering/organisations/<slug:slug>/certificates/",
        hours_views.organisation_certificates,
        name="organisation_certificates",
    ),
    path(
        "volunteering/organisations/<slug:slug>/certificates/issued/",
        hours_views.issued_certificates,
        name="issued_certificates",
    ),
    path(
        "volunteering/organisations/<slug:slug>/certificates/<uuid:uuid>/issue/",
        hours_views.issue_certificate,
        name="issue_certificate",
    ),
    path(
        "volunteering/organisations/<slug:slug>/certificates/<str:code>/revoke/",
        hours_views.revoke_certificate,
        name="revoke_certificate",
    ),
]

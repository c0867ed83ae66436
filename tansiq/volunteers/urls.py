from django.urls import path

from tansiq.volunteers.views import applications as application_views
from tansiq.volunteers.views import opportunities
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
    # Opportunities and their shifts.
    path("volunteering/opportunities/", opportunities.search, name="opportunities"),
    path("volunteering/opportunities/recommended/", opportunities.recommended, name="recommended"),
    path("volunteering/opportunities/review/", opportunities.review_queue, name="review_queue"),
    path("volunteering/opportunities/<uuid:uuid>/", opportunities.detail, name="opportunity"),
    path("volunteering/opportunities/<uuid:uuid>/edit/", opportunities.edit, name="edit_opportunity"),
    path("volunteering/opportunities/<uuid:uuid>/move/", opportunities.move, name="move_opportunity"),
    path("volunteering/opportunities/<uuid:uuid>/shifts/", opportunities.shifts, name="opportunity_shifts"),
    path(
        "volunteering/opportunities/<uuid:uuid>/shifts/<int:pk>/change/",
        opportunities.change_shift,
        name="change_shift",
    ),
    path(
        "volunteering/opportunities/<uuid:uuid>/shifts/<int:pk>/cancel/",
        opportunities.cancel_shift,
        name="cancel_shift",
    ),
    path("volunteering/opportunities/<uuid:uuid>/candidates/", opportunities.candidates, name="candidates"),
    path(
        "volunteering/organisations/<slug:slug>/opportunities/",
        opportunities.organisation_opportunities,
        name="organisation_opportunities",
    ),
    path(
        "volunteering/organisations/<slug:slug>/opportunities/new/",
        opportunities.create,
        name="create_opportunity",
    ),
    # Applications: applying, the volunteer's own, the organisation's roster.
    path("volunteering/opportunities/<uuid:uuid>/apply/", application_views.apply, name="apply"),
    path("volunteering/applications/", application_views.my_applications, name="my_applications"),
    path("volunteering/applications/<uuid:uuid>/", application_views.application, name="application"),
    path("volunteering/applications/<uuid:uuid>/withdraw/", application_views.withdraw, name="withdraw"),
    path("volunteering/applications/<uuid:uuid>/confirm/", application_views.confirm, name="confirm"),
    path(
        "volunteering/applications/<uuid:uuid>/offers/<int:shift>/",
        application_views.answer_offer,
        name="answer_offer",
    ),
    path("volunteering/applications/<uuid:uuid>/rate/", application_views.rate, name="rate"),
    path("volunteering/applications/<uuid:uuid>/decide/", application_views.decide, name="decide"),
    path("volunteering/rosters/", application_views.rosters, name="rosters"),
    path("volunteering/opportunities/<uuid:uuid>/roster/", application_views.roster, name="roster"),
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

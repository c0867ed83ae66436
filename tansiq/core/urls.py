from django.urls import path

from tansiq.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("inbox/<uuid:uuid>/read/", views.inbox_mark_read, name="inbox_mark_read"),
]

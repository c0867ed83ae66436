from django.urls import path

from tansiq.core.certificates import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("<str:code>/", views.certificate, name="certificate"),
    path("<str:code>/pdf/", views.certificate_pdf, name="pdf"),
]

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from tansiq.api import api
from tansiq.core import views as core_views

admin.site.site_header = admin.site.site_title = _("Tansiq back office")
admin.site.index_title = _("Back office")
# "View site" opens the home page in the back office's language, not the unprefixed "/".
admin.site.site_url = reverse_lazy("core:home")
# Staff sign in through allauth, so two-factor authentication applies to the back office too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", include("tansiq.core.urls")),
    path("search/", include("tansiq.core.search.urls")),
    path("certificates/", include("tansiq.core.certificates.urls")),
    path("", include("tansiq.network.urls")),
    path("", include("tansiq.volunteers.urls")),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("tansiq.accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler400 = "tansiq.core.views.error_400"
handler403 = "tansiq.core.views.error_403"
handler404 = "tansiq.core.views.error_404"
handler500 = "tansiq.core.views.error_500"

if not settings.PRODUCTION and not settings.S3_BUCKET:
    # Development and the demo serve uploads themselves; in production the reverse proxy does.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

from django.contrib import admin
from django.urls import include, path

from tandem.shell.api import api

urlpatterns = [
    path("", include("tandem.shell.urls")),
    path("", include("tandem.users.urls")),
    path("accounts/", include("tandem.accounts.urls")),
    path("deals/", include("tandem.pipeline.urls")),
    path("activities/", include("tandem.activities.urls")),
    path("imports/", include("tandem.imports.urls")),
    path("sales/", include("tandem.sales.urls")),
    path("forecast/", include("tandem.forecast.urls")),
    path("key-accounts/plans/", include("tandem.accountplans.urls")),
    path("key-accounts/renewals/", include("tandem.renewals.urls")),
    path("key-accounts/whitespace/", include("tandem.portfolio.urls")),
    path("key-accounts/", include("tandem.keyaccounts.urls")),
    path("kam/", include("tandem.kam.urls")),
    path("insights/", include("tandem.insights.urls")),
    path("pay/", include("tandem.compensation.urls")),
    path("hiring/", include("tandem.hiring.urls")),
    path("coaching/", include("tandem.coaching.urls")),
    path("people/", include("tandem.people.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("api-tokens/", include("tandem.users.token_urls")),
    path("approvals/", include("tandem.approvals.urls")),
    path("jobs/", include("tandem.jobs.urls")),
    path("admin/", admin.site.urls),
]

from django.urls import path

from keepsafe.web.views import audit, auth, case, caseload, search

app_name = "web"

urlpatterns = [
    path("", caseload.home, name="home"),
    path("sign-in", auth.sign_in, name="sign-in"),
    path("sign-out", auth.sign_out, name="sign-out"),
    path("caseload", caseload.my_caseload, name="caseload"),
    path("teams/<str:code>", caseload.team_caseload, name="team"),
    path("pdus/<str:code>", caseload.pdu_caseload, name="pdu"),
    path("search", search.search, name="search"),
    path("case/<str:crn>", case.overview, name="case"),
    path("case/<str:crn>/chronology", case.chronology_tab, name="case-chronology"),
    path("case/<str:crn>/sentence", case.sentence, name="case-sentence"),
    path("case/<str:crn>/flags", case.flags, name="case-flags"),
    path("case/<str:crn>/personal-details", case.personal_details, name="case-personal"),
    path("audit", audit.audit, name="audit"),
]

from django.urls import path

from keepsafe.web.views import accounts as account_views  # issue 14 §8 (helper "flags")
from keepsafe.web.views import actions, audit, auth, case, caseload, risk, search, sharing
from keepsafe.web.views import flags as flag_views  # issue 14 §2 (helper "flags")
from keepsafe.web.views import notifications as notification_views  # issue 14 §3 (helper "flags")

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
    path("case/<str:crn>/risk", risk.risk_tab, name="case-risk"),
    path("case/<str:crn>/checks/new", sharing.check_new, name="check-new"),
    path("case/<str:crn>/prison-information", sharing.prison_information, name="prison-information"),
    path("case/<str:crn>/assessments/start", risk.start, name="assessment-start"),
    path("case/<str:crn>/assessments/<str:aid>/gather", risk.gather_step, name="assessment-gather"),
    path("case/<str:crn>/assessments/<str:aid>/analyse", risk.analyse_step, name="assessment-analyse"),
    path("case/<str:crn>/assessments/<str:aid>/judge", risk.judge_step, name="assessment-judge"),
    path("case/<str:crn>/assessments/<str:aid>/complete", risk.complete, name="assessment-complete"),
    path("case/<str:crn>/assessments/<str:aid>/plan", risk.plan_step, name="assessment-plan"),
    path("case/<str:crn>/assessments/<str:aid>/countersign", risk.countersign, name="assessment-countersign"),
    path("audit", audit.audit, name="audit"),
    path("actions", actions.actions_list, {"scope": "mine"}, name="actions-mine"),
    path("actions/team", actions.actions_list, {"scope": "team"}, name="actions-team"),
    path("actions/pdu", actions.actions_list, {"scope": "pdu"}, name="actions-pdu"),
    path("case/<str:crn>/actions", actions.case_actions, name="case-actions"),
    path("case/<str:crn>/actions/<int:action_id>/<str:verb>", actions.action_post, name="action-post"),
    path("case/<str:crn>/checks/<str:public_id>/acted-on", actions.check_acted_on, name="check-acted-on"),
    path("case/<str:crn>/recall", actions.recall_page, name="case-recall"),
    path("case/<str:crn>/recall/<str:step>", actions.recall_post, name="recall-post"),
    # --- issue 14 §2, §3, §8 (helper "flags"): flags, notifications, accounts ---
    path("case/<str:crn>/flags/new", flag_views.flag_new, name="flag-new"),
    path("case/<str:crn>/flags/<int:registration_id>/review", flag_views.flag_review, name="flag-review"),
    path("case/<str:crn>/flags/<int:registration_id>/end", flag_views.flag_end, name="flag-end"),
    path("notifications", notification_views.notifications_page, name="notifications"),
    path("admin/accounts", account_views.accounts_page, name="accounts"),
    # --- end of helper "flags" block ---
]

from django.urls import path

from keepsafe.web.views import accounts as account_views  # issue 14 §8 (helper "flags")
from keepsafe.web.views import actions, appointments, assurance, audit, auth, case, caseload, risk, search, sharing
from keepsafe.web.views import documents as documents_page  # issue 14 (helper "recall")
from keepsafe.web.views import flags as flag_views  # issue 14 §2 (helper "flags")
from keepsafe.web.views import notifications as notification_views  # issue 14 §3 (helper "flags")
from keepsafe.web.views import region as region_page  # issue 14 (helper "recall")

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
    # assurance (issue 17): dashboards, case audits, recall-decision sampling, overrides, equality
    path("assurance", assurance.dashboard, name="assurance"),
    path("assurance/audits", assurance.audits, name="assurance-audits"),
    path("assurance/recall-sampling", assurance.recall_sampling, name="assurance-recall-sampling"),
    path("assurance/overrides", assurance.overrides_page, name="assurance-overrides"),
    path("assurance/equality", assurance.equality, name="assurance-equality"),
    # --- issue 14 §4-6 (helper "recall"): region landing page, case documents ---
    path("region", region_page.region, name="region"),
    path("case/<str:crn>/documents", documents_page.documents_tab, name="case-documents"),
    path("case/<str:crn>/documents/new/<str:kind>", documents_page.document_new, name="document-new"),
    path("case/<str:crn>/documents/<str:public_id>", documents_page.document_page, name="case-document"),
    path("case/<str:crn>/documents/<str:public_id>/pdf", documents_page.document_pdf, name="case-document-pdf"),
    path("case/<str:crn>/documents/<str:public_id>/json", documents_page.document_json, name="case-document-json"),
    # --- issue 14 §2, §3, §8 (helper "flags"): flags, notifications, accounts ---
    path("case/<str:crn>/flags/new", flag_views.flag_new, name="flag-new"),
    path("case/<str:crn>/flags/<int:registration_id>/review", flag_views.flag_review, name="flag-review"),
    path("case/<str:crn>/flags/<int:registration_id>/end", flag_views.flag_end, name="flag-end"),
    path("notifications", notification_views.notifications_page, name="notifications"),
    path("admin/accounts", account_views.accounts_page, name="accounts"),
    # --- end of helper "flags" block ---
]

# --- issue 14: appointments, contacts and the diary ------------------------------------------------------------------
urlpatterns += [
    path("case/<str:crn>/appointments", appointments.case_appointments, name="case-appointments"),
    path("case/<str:crn>/appointments/new", appointments.appointment_new, name="appointment-new"),
    path(
        "case/<str:crn>/appointments/<str:appointment>/reschedule",
        appointments.appointment_reschedule_view,
        name="appointment-reschedule",
    ),
    path(
        "case/<str:crn>/appointments/<str:appointment>/outcome",
        appointments.appointment_outcome_view,
        name="appointment-outcome",
    ),
    path("case/<str:crn>/contacts/new", appointments.contact_new, name="contact-new"),
    path("diary", appointments.diary_view, name="diary"),
]
# --- end issue 14 ----------------------------------------------------------------------------------------------------

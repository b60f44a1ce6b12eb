from django.urls import path

from keepsafe.web.views import accounts as account_views  # issue 14 §8 (helper "flags")
from keepsafe.web.views import actions, appointments, assurance, audit, auth, case, caseload, risk, search, sharing
from keepsafe.web.views import disclosures as disclosure_views  # issue 16 §3 (helper "share")
from keepsafe.web.views import documents as documents_page  # issue 14 (helper "recall")
from keepsafe.web.views import flags as flag_views  # issue 14 §2 (helper "flags")
from keepsafe.web.views import meetings as meeting_views  # issue 16 §4 (helper "share")
from keepsafe.web.views import notifications as notification_views  # issue 14 §3 (helper "flags")
from keepsafe.web.views import oversight as oversight_views  # issue 15 §3 (helper "overs")
from keepsafe.web.views import region as region_page  # issue 14 (helper "recall")
from keepsafe.web.views import remand as remand_views  # issue 16 §6 (helper "share2")
from keepsafe.web.views import transfers as transfer_views  # issue 16 §2 (helper "transfer")
from keepsafe.web.views import workload as workload_views  # issue 15 (helper "work")

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
# --- issue 15 (helper "work"): a team's workload, capacity and training ----------------------------------------------
urlpatterns += [
    path("teams/<str:code>/workload", workload_views.team_workload_page, name="team-workload"),
]

# --- issue 15 §2 (helper "alloc"): the PDU's allocation queue and the allocate journey -------------------------------
from keepsafe.web.views import allocations as allocation_views  # noqa: E402

urlpatterns += [
    path("allocations", allocation_views.queue, name="allocations"),
    path("allocations/<str:crn>", allocation_views.allocate_case, name="allocation-case"),
]
# --- end issue 15 §2 -------------------------------------------------------------------------------------------------

# --- issue 15 §3 (helper "overs"): management oversight ---------------------------------------------------------------
urlpatterns += [
    path("oversight", oversight_views.oversight_page, name="oversight"),
    path("case/<str:crn>/oversight-note", oversight_views.oversight_note, name="oversight-note"),
    path("oversight/pdu-status", oversight_views.pdu_status, name="pdu-status"),  # issue 15 §4
    path("oversight/team", oversight_views.supervisor, name="oversight-team"),  # issue 15 §6
]
# --- end issue 15 ("overs") -------------------------------------------------------------------------------------------

# --- issue 16 §2 (helper "transfer"): case transfers between PDUs ----------------------------------------------------
urlpatterns += [
    path("case/<str:crn>/transfers", transfer_views.case_transfers, name="case-transfers"),
    path("case/<str:crn>/transfers/decide", transfer_views.transfer_decide_page, name="case-transfer-decide"),
    path("transfers", transfer_views.transfers_page, name="transfers"),
    # issue 16 §6 review (helper "share2"): record a period on remand (listed on the Transfers tab)
    path("case/<str:crn>/remand/new", remand_views.remand_new, name="remand-new"),
]
# --- end issue 16 (helper "transfer") --------------------------------------------------------------------------------

# --- issue 16 §1 (helper "court"): before sentence -------------------------------------------------------------------
from keepsafe.web.views import court as court_views  # noqa: E402

urlpatterns += [
    path("case/<str:crn>/court", court_views.case_court, name="case-court"),
    path("case/<str:crn>/court/<str:verb>", court_views.court_step, name="court-post"),
]
# --- end issue 16 §1 -------------------------------------------------------------------------------------------------

# --- issue 16 §5 (helper "ap"): approved premises referrals -----------------------------------------------------------
from keepsafe.web.views import premises as premises_views  # noqa: E402

urlpatterns += [
    path("case/<str:crn>/approved-premises", premises_views.case_ap, name="case-ap"),
    path("case/<str:crn>/approved-premises/<str:verb>", premises_views.ap_step, name="ap-post"),
]
# --- end issue 16 §5 (helper "ap") ------------------------------------------------------------------------------------

# --- issue 16 §3 (helper "share"): referrals and the disclosure log ---------------------------------------------------
urlpatterns += [
    path("case/<str:crn>/disclosures", disclosure_views.disclosures_tab, name="case-disclosures"),
    path("case/<str:crn>/referrals/new", disclosure_views.referral_new, name="referral-new"),
    path("case/<str:crn>/disclosures/<str:public_id>", disclosure_views.disclosure_page, name="case-disclosure"),
    path("case/<str:crn>/meetings", meeting_views.meetings_tab, name="case-meetings"),  # issue 16 §4
    path("case/<str:crn>/meetings/new", meeting_views.meeting_new, name="meeting-new"),
]
# --- end issue 16 §3 -------------------------------------------------------------------------------------------------

# --- issue 16 §7 (helper "victim"): victim liaison officers' representations (shown on the Sentence tab) -----------
from keepsafe.web.views import victims as victim_views  # noqa: E402

urlpatterns += [
    path("case/<str:crn>/victim-contact/<str:verb>", victim_views.victim_step, name="victim-post"),
]
# --- end issue 16 §7 -------------------------------------------------------------------------------------------------

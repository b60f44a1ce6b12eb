"""Training compliance rules (issue 15 §5): states on the day, refresh boundaries, gaps for a case's needs."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.oversight.rules import training as t
from keepsafe.oversight.rules.workload import add_months
from keepsafe.workforce.rules.grades import Grade

TABLES = t.published_training()
TODAY = date(2026, 6, 15)


def test_every_course_cites_a_source_and_every_need_has_a_course():
    assert all(c.source for c in TABLES.courses.values())
    for need in t.CaseNeed:
        assert any(need in c.needed_for for c in TABLES.courses.values()), need


def test_domestic_abuse_and_child_safeguarding_refresh_every_three_years():
    for code in ("DOMESTIC_ABUSE", "CHILD_SAFEGUARDING"):
        assert TABLES.courses[code].refresh_months == 36


@pytest.mark.parametrize("grade", list(Grade))
def test_status_lists_exactly_the_grades_courses(grade):
    statuses = t.training_status(grade, [], TODAY, TABLES)
    assert {s.course.code for s in statuses} == {c.code for c in TABLES.courses.values() if grade in c.grades}
    assert all(s.state is t.TrainingState.MISSING for s in statuses)


def test_refresh_boundaries():
    course = "DOMESTIC_ABUSE"
    done = date(2023, 6, 15)
    expires = add_months(done, 36)
    assert expires == TODAY

    def state(day):
        [s] = [
            s for s in t.training_status(Grade.PO, [t.Completion(course, done)], day, TABLES) if s.course.code == course
        ]
        return s.state

    assert state(date.fromordinal(expires.toordinal() - 1)) is t.TrainingState.DUE
    assert state(expires) is t.TrainingState.OVERDUE
    window_opens = expires - timedelta(days=TABLES.due_soon_days)
    assert state(window_opens) is t.TrainingState.DUE
    assert state(window_opens - timedelta(days=1)) is t.TrainingState.CURRENT


def test_a_completion_after_the_day_is_not_yet_known_and_the_latest_counts():
    comps = [t.Completion("DOMESTIC_ABUSE", date(2020, 1, 1)), t.Completion("DOMESTIC_ABUSE", date(2026, 7, 1))]
    [s] = [s for s in t.training_status(Grade.PO, comps, TODAY, TABLES) if s.course.code == "DOMESTIC_ABUSE"]
    assert s.state is t.TrainingState.OVERDUE
    assert s.completed_on == date(2020, 1, 1)
    comps.append(t.Completion("DOMESTIC_ABUSE", date(2026, 1, 1)))
    [s] = [s for s in t.training_status(Grade.PO, comps, TODAY, TABLES) if s.course.code == "DOMESTIC_ABUSE"]
    assert s.state is t.TrainingState.CURRENT
    assert s.expires_on == date(2029, 1, 1)


def test_once_only_courses_never_expire():
    [s] = [
        s
        for s in t.training_status(Grade.PO, [t.Completion("MAPPA", date(2001, 1, 1))], TODAY, TABLES)
        if s.course.code == "MAPPA"
    ]
    assert s.state is t.TrainingState.CURRENT
    assert s.expires_on is None


def test_training_gaps_for_a_high_rosh_da_case():
    gaps = t.training_gaps(Grade.PSO, [], [t.CaseNeed.HIGH_ROSH, t.CaseNeed.DOMESTIC_ABUSE], TODAY)
    assert {g.course.code for g in gaps} == {"RISK_OF_SERIOUS_HARM", "OASYS", "DOMESTIC_ABUSE"}
    done = [t.Completion(c, date(2026, 1, 1)) for c in ("RISK_OF_SERIOUS_HARM", "OASYS", "DOMESTIC_ABUSE")]
    assert t.training_gaps(Grade.PSO, done, [t.CaseNeed.HIGH_ROSH, t.CaseNeed.DOMESTIC_ABUSE], TODAY) == []
    assert t.training_gaps(Grade.PSO, [], [], TODAY) == []


def test_a_bad_training_table_names_the_key():
    with pytest.raises(t.TrainingTableError, match=r"courses\.X"):
        t.training_tables_from({"due_soon_days": 1, "courses": {"X": {"grades": ["NOPE"], "source": "s"}}})
    with pytest.raises(t.TrainingTableError, match=r"courses\.X\.source"):
        t.training_tables_from({"due_soon_days": 1, "courses": {"X": {"grades": ["PO"]}}})


@given(
    st.lists(st.builds(t.Completion, st.sampled_from(sorted(TABLES.courses)), st.dates(date(2015, 1, 1), TODAY))),
    st.sets(st.sampled_from(list(t.CaseNeed))),
    st.sampled_from(list(Grade)),
)
def test_more_completions_never_add_gaps(completions, needs, grade):
    fewer = {g.course.code for g in t.training_gaps(grade, completions[:-1], needs, TODAY, TABLES)}
    more = {g.course.code for g in t.training_gaps(grade, completions, needs, TODAY, TABLES)}
    assert more <= fewer
    met, required = t.compliance([t.training_status(grade, completions, TODAY, TABLES)])
    assert 0 <= met <= required

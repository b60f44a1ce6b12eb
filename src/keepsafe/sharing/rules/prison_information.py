"""The prison information sharing form a prison offender manager completes before release.

Why: prison intelligence of weapons possession, drug taking, threats and an assault with an improvised weapon never
reached the community offender manager in the Zara Aleena case (seeds/001, concern 3); HMPPS committed to a
structured information exchange before release. Each section is stored in one PRISON record and scanned.
"""

from __future__ import annotations

from collections.abc import Mapping

# (field, heading, hint)
SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "behaviour",
        "Custodial behaviour",
        "Conduct on the wing, incentive level, relationships with staff and prisoners",
    ),
    ("adjudications", "Adjudications", "Proven adjudications, with dates and what they were for"),
    ("intelligence", "Security intelligence", "Intelligence reports and what they say"),
    ("weapons_drugs", "Weapons and drugs finds", "Finds in cell or on the person, and positive drug tests"),
    ("threats", "Threats", "Threats made to anyone, in or outside prison, including victims"),
    ("visits_contact", "Visits and contact concerns", "Visitors, phone and letter monitoring, contact with victims"),
    ("sentence_plan", "Engagement with the sentence plan", "Courses, work, education; what was done and what was not"),
)
MAX_SECTION = 10_000


def section_problems(form: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every section must be answered: 'None known' is an answer, a blank is not (nothing may be skipped)."""
    problems = []
    for key, heading, _ in SECTIONS:
        value = form.get(key, "").strip()
        if not value:
            problems.append((key, f"Enter {heading.lower()}, or 'None known'"))
        elif len(value) > MAX_SECTION:
            problems.append((key, f"{heading} must be {MAX_SECTION:,} characters or fewer"))
    return problems


def compose(form: Mapping[str, str]) -> str:
    """One sentence block per section, so the scanner reads each section's text on its own."""
    return "\n\n".join(f"{heading}: {form[key].strip()}" for key, heading, _ in SECTIONS)

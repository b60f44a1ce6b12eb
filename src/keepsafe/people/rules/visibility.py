"""Who may see a case: the nDelius limited access offender (LAO) rule."""

from __future__ import annotations

from collections.abc import Collection


def may_see_case(
    *, is_system: bool, viewer_staff_id: int | None, restricted_to: Collection[int], excluded: Collection[int]
) -> bool:
    """nDelius LAO — hmpps-probation-integration-services, libs/limited-access UserAccessService.

    Staff see cases nationally, except: an exclusion (deny-list) names staff who may never see the case;
    a restriction (allow-list) means only the listed staff may. A viewer with no staff record fails closed.
    """
    if is_system:
        return True
    if viewer_staff_id is None:
        return not restricted_to and not excluded
    if viewer_staff_id in excluded:
        return False
    return not restricted_to or viewer_staff_id in restricted_to

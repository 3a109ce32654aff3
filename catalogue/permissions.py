"""The Editors group: exactly the permissions people who keep the catalogue accurate need.

Editors add and change case studies, their sites, scores, outcome figures and sources, their independent assessments
and their organisations' replies, and the taxonomies; they handle the queue of suggestions and error reports
(which only visitors add); they may remove a site, score, figure, source or assessment from a case. They see the
rubric's versions but cannot change them (a version is made when a principle's level texts change). They cannot
delete case studies (unpublish instead), cannot add or delete principles, and cannot manage users or groups.
"""

from __future__ import annotations

EDITORS_GROUP = "Editors"

EDITOR_PERMISSIONS: dict[str, list[str]] = {
    "catalogue": [
        "view_casestudy", "add_casestudy", "change_casestudy",
        "view_outcomefigure", "add_outcomefigure", "change_outcomefigure", "delete_outcomefigure",
        "view_source", "add_source", "change_source", "delete_source",
        "view_site", "add_site", "change_site", "delete_site",
        "view_condition", "add_condition", "change_condition",
        "view_approach", "add_approach", "change_approach",
        "view_region", "add_region", "change_region",
        "view_historicalcasestudy",
        "view_principlescore", "add_principlescore", "change_principlescore", "delete_principlescore",
        "view_assessment", "add_assessment", "change_assessment", "delete_assessment",
        "view_assessmentscore", "add_assessmentscore", "change_assessmentscore", "delete_assessmentscore",
        "view_scorereply", "add_scorereply", "change_scorereply",
        "view_suggestion", "change_suggestion", "view_errorreport", "change_errorreport",
    ],
    "principles": [
        "view_principle", "change_principle", "view_rubricversion",
    ],
}  # fmt: skip


def ensure_editors_group(sender=None, using: str = "default", **kwargs) -> None:
    """Create or correct the Editors group (a post_migrate handler, and safe to call at any time)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    wanted = []
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        found = Permission.objects.using(using).filter(content_type__app_label=app_label, codename__in=codenames)
        if found.count() != len(codenames):
            # Permissions are created by auth's own post_migrate handler; if they are not all there yet,
            # leave the group as it is rather than give it a partial set (the next migrate completes it).
            return
        wanted.extend(found)
    group.permissions.set(wanted)

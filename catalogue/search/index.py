"""Writing each case's search document (models/search.py) from the case and what it shows.

`refresh(case_ids)` rewrites the documents of those cases (and drops those of cases gone) in a few queries per
batch, writing only what changed; the database's triggers then keep the full-text index in step (migration
0013). signals.py calls it after each edit of a case, its sites, scores, outcome figures, conditions and
approaches (or their names) and areas' names; bulk writes (imports, synthetic cases) call it once at the end.
`apps` lets the migration that creates the documents use the models as they were then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps as live_apps
from django.db import transaction

BATCH_SIZE = 1000
CASE_FIELDS = ["title", "summary", "lead_organisation", "partners", "place", "serves"]
BODY_FIELDS = ["context", "what_they_did", "sharing_power", "outcomes"]
DOCUMENT_FIELDS = ["title", "about", "body", "rationales"]


def _join(parts: Iterable[str]) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


class _Areas:
    """Each area's name with the names of the areas above it (a site in Glasgow is found by "Scotland")."""

    def __init__(self, region_model, using: str):
        rows = region_model.objects.using(using).values_list("pk", "parent_id", "name")
        self.parent = {pk: parent for pk, parent, _ in rows}
        self.name = {pk: name for pk, _, name in rows}

    def names(self, pk: int) -> list[str]:
        found: list[str] = []
        seen: set[int] = set()
        while pk is not None and pk not in seen:
            seen.add(pk)
            found.append(self.name.get(pk, ""))
            pk = self.parent.get(pk)
        return found


def documents(case_ids: list[int], using: str = "default", apps=live_apps) -> dict[int, dict[str, str]]:
    """{case id: {column: text}} for the cases among `case_ids` that exist."""
    model = apps.get_model("catalogue", "CaseStudy")
    get = apps.get_model
    cases = model.objects.using(using).filter(pk__in=case_ids).values("pk", *CASE_FIELDS, *BODY_FIELDS)
    extra: dict[str, dict[int, list[str]]] = {key: defaultdict(list) for key in ("about", "body", "rationales")}
    areas = _Areas(get("catalogue", "Region"), using)
    sites = get("catalogue", "Site").objects.using(using).filter(case_study_id__in=case_ids)
    for case_id, name, region_id in sites.order_by("position", "pk").values_list("case_study_id", "name", "region"):
        extra["about"][case_id] += [name, *areas.names(region_id)]
    for relation in ("conditions", "approaches"):
        through = getattr(model, relation).through
        term = "condition" if relation == "conditions" else "approach"
        links = through.objects.using(using).filter(casestudy_id__in=case_ids).order_by(f"{term}__name")
        for case_id, name in links.values_list("casestudy_id", f"{term}__name"):
            extra["about"][case_id].append(name)
    figures = get("catalogue", "OutcomeFigure").objects.using(using).filter(case_study_id__in=case_ids)
    for case_id, statement in figures.order_by("position", "pk").values_list("case_study_id", "statement"):
        extra["body"][case_id].append(statement)
    scores = get("catalogue", "PrincipleScore").objects.using(using).filter(case_study_id__in=case_ids)
    for case_id, rationale in scores.order_by("principle__number").values_list("case_study_id", "rationale"):
        extra["rationales"][case_id].append(rationale)
    found = {}
    for case in cases:
        pk = case["pk"]
        about = [case[f] for f in CASE_FIELDS[1:]] + list(dict.fromkeys(extra["about"][pk]))
        found[pk] = {
            "title": case["title"],
            "about": _join(about),
            "body": _join([case[f] for f in BODY_FIELDS] + extra["body"][pk]),
            "rationales": _join(extra["rationales"][pk]),
        }
    return found


def refresh(case_ids: Iterable[int], using: str = "default", apps=live_apps) -> int:
    """Rewrite the search documents of these cases; returns how many were written or removed."""
    document_model = apps.get_model("catalogue", "SearchDocument")
    ids = sorted({pk for pk in case_ids if pk is not None})
    written = 0
    with transaction.atomic(using=using):
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            wanted = documents(chunk, using, apps)
            stored_rows = document_model.objects.using(using).filter(case_study_id__in=chunk)
            stored = {row["case_study_id"]: row for row in stored_rows.values("case_study_id", *DOCUMENT_FIELDS)}
            gone = [pk for pk in stored if pk not in wanted]
            if gone:
                document_model.objects.using(using).filter(case_study_id__in=gone).delete()
            new = [document_model(case_study_id=pk, **text) for pk, text in wanted.items() if pk not in stored]
            changed = [
                document_model(case_study_id=pk, **text)
                for pk, text in wanted.items()
                if pk in stored and any(stored[pk][f] != text[f] for f in DOCUMENT_FIELDS)
            ]
            document_model.objects.using(using).bulk_create(new, batch_size=500)
            document_model.objects.using(using).bulk_update(changed, DOCUMENT_FIELDS, batch_size=500)
            written += len(gone) + len(new) + len(changed)
    return written


def rebuild(using: str = "default", apps=live_apps) -> int:
    """Every case's search document, rewritten where it differs (after a raw restore or a bulk load)."""
    ids = apps.get_model("catalogue", "CaseStudy").objects.using(using).values_list("pk", flat=True)
    stored = apps.get_model("catalogue", "SearchDocument").objects.using(using).values_list("pk", flat=True)
    return refresh([*ids, *stored], using, apps)

"""The change history of a case's own rows: every change to its scores, outcome figures and sources."""

from __future__ import annotations

from ..models import OutcomeFigure, PrincipleScore, Source


def related_history(case_id) -> list[dict]:
    """Each change to a case's scores, figures and sources: who, when, what kind, and which fields changed."""
    rows = []
    for model, describe in [
        (PrincipleScore, lambda r: f"Score for {r.principle.short_name}" if r.principle_id else "Score"),
        (OutcomeFigure, lambda r: "Outcome figure"),
        (Source, lambda r: "Source"),
    ]:
        history = model.history.filter(case_study_id=case_id).select_related("history_user")
        if model is PrincipleScore:
            history = history.select_related("principle")
        for record in history.order_by("history_date"):
            changes = []
            previous = record.prev_record
            if record.history_type == "~" and previous is not None:
                delta = record.diff_against(previous)
                changes = [(c.field, c.old, c.new) for c in delta.changes]
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "what": describe(record),
                    "action": record.get_history_type_display(),
                    "changes": changes,
                    "summary": str(record.instance),
                }
            )
    rows.sort(key=lambda row: row["date"], reverse=True)
    return rows

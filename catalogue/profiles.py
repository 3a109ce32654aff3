"""A case's principle profile stored on the case itself, so "cases with a close profile" is an index lookup.

A profile is six characters, one per principle in number order: the score "0"-"3", or "-" where the case has
no score for that principle (drafts; a published case has all six). "3-2102" is 3 on principle 1, unscored on
2, 2 on 3 and so on. `CaseStudy.profile` holds it; it is derived data, kept by:

- the PrincipleScore save and delete signals (admin, content loading, CSV import: every ORM write of a score);
- synthetic.generate(), which writes scores with bulk_create (no signals) and sets the profile itself;
- a Principle's number changing (every profile is rebuilt, since the positions move);
- migration 0004, which filled it for the cases already there.

A write of scores that bypasses the ORM (raw SQL, a queryset update()) must call `refresh()` for those cases.

Why stored: finding close profiles from the score rows means summing six differences for every case in the
catalogue (600,000 score rows at 100,000 cases: about 2.4 s on PostgreSQL). With the profile on the case, the
profiles within a distance are enumerated here (at most a few thousand of the 5^6 strings) and looked up in
the (status, profile) index, nearest first, stopping as soon as enough cases are found.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

from django.db import transaction

from principles.models import Score

PRINCIPLE_COUNT = 6
UNSCORED = "-"
SYMBOLS = (*(str(level.value) for level in Score), UNSCORED)
EMPTY = UNSCORED * PRINCIPLE_COUNT


def profile_of(scores_by_number: Mapping[int, int]) -> str:
    """The profile string of {principle number: score}; numbers outside 1-6 are ignored."""
    return "".join(
        str(scores_by_number[n]) if n in scores_by_number else UNSCORED for n in range(1, PRINCIPLE_COUNT + 1)
    )


def score_at(profile: str, number: int) -> int | None:
    """The score a profile holds for the principle numbered `number`, or None where it has none."""
    symbol = profile[number - 1] if 1 <= number <= len(profile) else UNSCORED
    return None if symbol == UNSCORED else int(symbol)


def _cost(mine: str, theirs: str) -> int:
    """How far apart two cases are on one principle. A principle this case has not scored does not count; one
    the other case has not scored counts as the whole scale (it cannot be shown to be close)."""
    if mine == UNSCORED:
        return 0
    if theirs == UNSCORED:
        return Score.maximum()
    return abs(int(mine) - int(theirs))


def distance(mine: str, theirs: str) -> int:
    return sum(_cost(a, b) for a, b in zip(mine, theirs, strict=True))


def rings(profile: str, max_distance: int) -> list[list[str]]:
    """Every profile within `max_distance` of `profile`, grouped by distance: rings[d] lists those exactly d away.

    Built position by position, pruning any partial profile already too far, so a fully scored profile yields a
    few hundred to about a thousand strings rather than all 15,625.
    """
    partial: dict[str, int] = {"": 0}
    for mine in profile:
        options = [(symbol, _cost(mine, symbol)) for symbol in SYMBOLS]
        partial = {
            prefix + symbol: cost + step
            for (prefix, cost), (symbol, step) in itertools.product(partial.items(), options)
            if cost + step <= max_distance
        }
    grouped: list[list[str]] = [[] for _ in range(max_distance + 1)]
    for candidate, cost in sorted(partial.items()):
        grouped[cost].append(candidate)
    return grouped


# --- keeping profiles current ----------------------------------------------------------------------------------


def refresh(case_ids: Iterable[int] | None = None, using: str = "default", batch_size: int = 2000) -> dict[int, str]:
    """Recompute the stored profile of the given cases (every case when None) from their scores. Returns the
    new profile of each case that changed. Writes with bulk_update, so no history row and no signal: the
    caller's own write of the scores has already told the caches (caching.bump) that the catalogue changed."""
    from principles.models import PrincipleScore

    from .models import CaseStudy

    cases = CaseStudy.objects.using(using)
    ids = list(case_ids) if case_ids is not None else list(cases.order_by("pk").values_list("pk", flat=True))
    changed: dict[int, str] = {}
    with transaction.atomic(using=using):
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            stored = dict(cases.filter(pk__in=chunk).values_list("pk", "profile"))
            scores: dict[int, dict[int, int]] = {pk: {} for pk in stored}
            rows = PrincipleScore.objects.using(using).filter(case_study_id__in=chunk)
            for case_id, number, score in rows.values_list("case_study_id", "principle__number", "score"):
                if case_id in scores:
                    scores[case_id][number] = score
            stale = [CaseStudy(pk=pk, profile=profile_of(scores[pk])) for pk in stored]
            stale = [case for case in stale if case.profile != stored[case.pk]]
            cases.bulk_update(stale, ["profile"], batch_size=500)
            changed |= {case.pk: case.profile for case in stale}
    return changed


def _score_changed(sender, instance, using: str = "default", **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: the fixture brings the case's profile with it
        return
    changed = refresh([instance.case_study_id], using=using)
    # The score's own case object, if it has one loaded, shows the new profile too.
    if instance.case_study_id in changed and type(instance).case_study.is_cached(instance):
        instance.case_study.profile = changed[instance.case_study_id]


def _principle_saved(sender, instance, using: str = "default", created: bool = False, **kwargs) -> None:
    # A principle's number is its position in every profile. Its number cannot be read back after the save,
    # so pre-save stores what it was on the instance.
    if kwargs.get("raw") or (not created and getattr(instance, "_number_before_save", None) == instance.number):
        return
    refresh(using=using)


def _principle_saving(sender, instance, using: str = "default", **kwargs) -> None:
    if instance.pk is None:
        instance._number_before_save = None
        return
    instance._number_before_save = (
        sender.objects.using(using).filter(pk=instance.pk).values_list("number", flat=True).first()
    )


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    from principles.models import Principle, PrincipleScore

    post_save.connect(_score_changed, sender=PrincipleScore, dispatch_uid="catalogue-profile-score-save")
    post_delete.connect(_score_changed, sender=PrincipleScore, dispatch_uid="catalogue-profile-score-delete")
    pre_save.connect(_principle_saving, sender=Principle, dispatch_uid="catalogue-profile-principle-presave")
    post_save.connect(_principle_saved, sender=Principle, dispatch_uid="catalogue-profile-principle-save")
    post_delete.connect(_principle_saved, sender=Principle, dispatch_uid="catalogue-profile-principle-delete")

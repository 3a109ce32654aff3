"""Every signal receiver of the catalogue, connected once when the app is ready (apps.py).

- Any save, delete or many-to-many change of what a page, a count or a PDF shows makes every cached value
  obsolete (caching.bump).
- A case's stored profile follows its scores, and every profile is rebuilt when a principle is renumbered
  (its number is its position in every profile).
- A case's search document (search/index.py) follows the case, its sites, scores, outcome figures, conditions
  and approaches, and the names of those terms and of areas.
- When the shared cache answers again after an outage (cache_backend.py), the writes skipped meanwhile may have
  included an edit's new version: the version is replaced then, so no page stored before the edit is served.
- After every migrate the Editors group matches the models (permissions.ensure_editors_group).
- bulk_write() does the work of these receivers once for a whole bulk write (an import) instead of per save.
- Under the development server, a changed template or code file gives a new code version (caching.py), so no
  page drawn by the old one is served.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.autoreload import file_changed

from principles.models import Principle, RubricVersion

from . import caching
from .cache_backend import cache_recovered
from .models import (
    Approach,
    Assessment,
    AssessmentScore,
    CaseStudy,
    Condition,
    ErrorReport,
    OutcomeFigure,
    PrincipleScore,
    Region,
    ReplyStatus,
    ScoreReply,
    SearchDocument,
    Site,
    Source,
)
from .permissions import ensure_editors_group
from .search import index as search_index

CACHED_MODELS = (CaseStudy, PrincipleScore, Principle, Condition, Approach, Region, Site, OutcomeFigure, Source)
# The independent assessments and the rubric: the case pages and /assessments/ show them. The organisation's replies
# and visitors' error reports are public only once an editor acts (reply_changed, report_changed below).
CACHED_MODELS += (Assessment, AssessmentScore, RubricVersion)


@receiver(post_save, sender=ScoreReply, dispatch_uid="catalogue-cache-reply-save")
def reply_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """A reply just sent waits for an editor and shows nowhere: only a moderated one changes a page."""
    if not (created and instance.status == ReplyStatus.WAITING):
        caching.bump()


@receiver(post_save, sender=ErrorReport, dispatch_uid="catalogue-cache-report-save")
def report_changed(sender, instance, **kwargs) -> None:
    """An error report shows on its case page only as a correction an editor has recorded."""
    if instance.corrected_on is not None or instance.correction:
        caching.bump()


def connect(app_config) -> None:
    post_delete.connect(caching.bump, sender=ScoreReply, dispatch_uid="catalogue-cache-delete-reply")
    post_delete.connect(caching.bump, sender=ErrorReport, dispatch_uid="catalogue-cache-delete-report")
    for model in CACHED_MODELS:
        label = model._meta.label
        post_save.connect(caching.bump, sender=model, dispatch_uid=f"catalogue-cache-save-{label}")
        post_delete.connect(caching.bump, sender=model, dispatch_uid=f"catalogue-cache-delete-{label}")
    for through in (CaseStudy.conditions.through, CaseStudy.approaches.through):
        m2m_changed.connect(caching.bump, sender=through, dispatch_uid=f"catalogue-cache-m2m-{through._meta.label}")
    cache_recovered.connect(caching.bump, dispatch_uid="catalogue-cache-recovered")
    # After every migrate (the test database's included), so the group always matches the models.
    post_migrate.connect(ensure_editors_group, sender=app_config, dispatch_uid="catalogue-editors-group")


@receiver(file_changed, dispatch_uid="catalogue-code-version")
def code_changed(sender, file_path, **kwargs) -> None:
    caching.code_version.cache_clear()


# Inside bulk_write(), the cases whose scores changed, by database: their profiles are refreshed once, at the end.
_pending_profiles: ContextVar[dict[str, set[int]] | None] = ContextVar("catalogue_pending_profiles", default=None)
# Inside bulk_write(), the cases whose search documents are to be rewritten, by database, once at the end.
_pending_documents: ContextVar[dict[str, set[int]] | None] = ContextVar("catalogue_pending_documents", default=None)


@contextlib.contextmanager
def bulk_write(using: str = "default") -> Iterator[None]:
    """One transaction for many writes (an import), with the work the receivers do per save done once for all:
    one cache bump after the commit, and each changed case's profile refreshed once before it (not once per
    score). Nothing inside may read a stored profile before the end."""
    with caching.bumps_deferred(), transaction.atomic(using=using):
        pending: dict[str, set[int]] = {}
        documents: dict[str, set[int]] = {}
        token, documents_token = _pending_profiles.set(pending), _pending_documents.set(documents)
        try:
            yield
        finally:
            _pending_profiles.reset(token)
            _pending_documents.reset(documents_token)
        for alias, case_ids in pending.items():  # not reached when the block raised: all is rolled back
            CaseStudy.objects.using(alias).filter(pk__in=case_ids).refresh_profiles()
        for alias, case_ids in documents.items():
            search_index.refresh(case_ids, alias)


@receiver(post_save, sender=PrincipleScore, dispatch_uid="catalogue-profile-score-save")
@receiver(post_delete, sender=PrincipleScore, dispatch_uid="catalogue-profile-score-delete")
def score_changed(sender, instance, using: str = "default", raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture brings the case's profile with it
        return
    pending = _pending_profiles.get()
    if pending is not None:
        pending.setdefault(using, set()).add(instance.case_study_id)
        return
    changed = CaseStudy.objects.using(using).filter(pk=instance.case_study_id).refresh_profiles()
    # The score's own case object, if it has one loaded, shows the new profile too.
    if instance.case_study_id in changed and type(instance).case_study.is_cached(instance):
        instance.case_study.profile = changed[instance.case_study_id]


@receiver(pre_save, sender=Principle, dispatch_uid="catalogue-profile-principle-presave")
def principle_saving(sender, instance, using: str = "default", **kwargs) -> None:
    # A principle's number cannot be read back after the save, so what it was is kept on the instance.
    instance._number_before_save = (
        None
        if instance.pk is None
        else sender.objects.using(using).filter(pk=instance.pk).values_list("number", flat=True).first()
    )


@receiver(post_save, sender=Principle, dispatch_uid="catalogue-profile-principle-save")
@receiver(post_delete, sender=Principle, dispatch_uid="catalogue-profile-principle-delete")
def principle_changed(sender, instance, using: str = "default", created: bool = False, raw: bool = False, **kw):
    if raw or (not created and getattr(instance, "_number_before_save", None) == instance.number):
        return
    CaseStudy.objects.using(using).refresh_profiles()


# --- search documents ----------------------------------------------------------------------------------------


def refresh_documents(case_ids, using: str = "default") -> None:
    """Rewrite these cases' search documents now, or at the end of the bulk write under way."""
    pending = _pending_documents.get()
    if pending is not None:
        pending.setdefault(using, set()).update(case_ids)
    else:
        search_index.refresh(case_ids, using)


@receiver(post_save, sender=CaseStudy, dispatch_uid="catalogue-search-case-save")
def case_saved(sender, instance, using: str = "default", raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata brings the documents with the cases (or `manage.py rebuild_search` writes them)
        refresh_documents([instance.pk], using)


@receiver(post_delete, sender=CaseStudy, dispatch_uid="catalogue-search-case-delete")
def case_deleted(sender, instance, using: str = "default", **kwargs) -> None:
    # Its rows go first and their receivers may have rewritten its document after the cascade removed it.
    SearchDocument.objects.using(using).filter(case_study_id=instance.pk).delete()


@receiver(post_save, sender=Site, dispatch_uid="catalogue-search-site-save")
@receiver(post_delete, sender=Site, dispatch_uid="catalogue-search-site-delete")
@receiver(post_save, sender=PrincipleScore, dispatch_uid="catalogue-search-score-save")
@receiver(post_delete, sender=PrincipleScore, dispatch_uid="catalogue-search-score-delete")
@receiver(post_save, sender=OutcomeFigure, dispatch_uid="catalogue-search-figure-save")
@receiver(post_delete, sender=OutcomeFigure, dispatch_uid="catalogue-search-figure-delete")
def row_changed(sender, instance, using: str = "default", raw: bool = False, **kwargs) -> None:
    # A row deleted with its case (a cascade) finds no case, and refresh drops nothing more.
    if not raw:
        refresh_documents([instance.case_study_id], using)


@receiver(m2m_changed, sender=CaseStudy.conditions.through, dispatch_uid="catalogue-search-conditions")
@receiver(m2m_changed, sender=CaseStudy.approaches.through, dispatch_uid="catalogue-search-approaches")
def terms_linked(sender, instance, action: str, reverse: bool, pk_set=None, using: str = "default", **kwargs):
    if action.startswith("pre_") and not (action == "pre_clear" and reverse):
        return
    if not reverse:
        refresh_documents([instance.pk], using)
    elif action == "pre_clear":  # the term's cases are known only before the links go
        instance._search_cases = list(instance.case_studies.using(using).values_list("pk", flat=True))
    else:
        refresh_documents(pk_set if action != "post_clear" else getattr(instance, "_search_cases", []), using)


@receiver(post_save, sender=Condition, dispatch_uid="catalogue-search-condition-save")
@receiver(post_save, sender=Approach, dispatch_uid="catalogue-search-approach-save")
def term_saved(sender, instance, using: str = "default", raw: bool = False, created: bool = False, **kwargs):
    if not (raw or created):
        refresh_documents(instance.case_studies.using(using).values_list("pk", flat=True), using)


@receiver(pre_delete, sender=Condition, dispatch_uid="catalogue-search-condition-predelete")
@receiver(pre_delete, sender=Approach, dispatch_uid="catalogue-search-approach-predelete")
def term_deleting(sender, instance, using: str = "default", **kwargs) -> None:
    instance._search_cases = list(instance.case_studies.using(using).values_list("pk", flat=True))


@receiver(post_delete, sender=Condition, dispatch_uid="catalogue-search-condition-delete")
@receiver(post_delete, sender=Approach, dispatch_uid="catalogue-search-approach-delete")
def term_deleted(sender, instance, using: str = "default", **kwargs) -> None:
    refresh_documents(getattr(instance, "_search_cases", []), using)


@receiver(post_save, sender=Region, dispatch_uid="catalogue-search-region-save")
def area_saved(sender, instance, using: str = "default", raw: bool = False, created: bool = False, **kwargs):
    """An area renamed or moved: the cases with a site in it or below it."""
    if raw or created:
        return
    tree = Region.objects.using(using).tree()
    below = tree.with_descendants([instance.pk])
    refresh_documents(Site.objects.using(using).filter(region_id__in=below).values_list("case_study_id", flat=True),
                      using)  # fmt: skip

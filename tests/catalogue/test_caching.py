"""The caches (catalogue/caching.py), which must never go stale: whole public pages (cached_page) are served
without queries while nothing changes, never stale after an edit, never shared with staff, and always with a fresh
CSP nonce; the cached facet counts and insights change with every edit; the version is shared through the cache."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue import caching, synthetic
from catalogue.models import CareSetting, Condition, PrincipleScore, Status
from tests.builders import ConditionFactory, complete_case

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture
def page_cache_on(settings):
    """Whole pages cached, as in production (the test settings leave it off)."""
    settings.CATALOGUE_PAGE_CACHE = True


@pytest.fixture
def case():
    return complete_case(title="Rushey Green Time Bank", slug="rushey-green-time-bank")


def without_nonces(response) -> str:
    return NONCE.sub('nonce=""', response.content.decode())


def page_urls(case) -> list[str]:
    return [
        reverse("catalogue:home"),
        reverse("catalogue:case-list"),
        reverse("catalogue:case-list") + "?q=time+bank&setting=health",
        case.get_absolute_url(),
        reverse("catalogue:compare") + f"?case={case.slug}",
        reverse("catalogue:insights"),
        reverse("catalogue:about"),
        reverse("catalogue:principle-list"),
        reverse("catalogue:principle-detail", kwargs={"slug": case.scores.first().principle.slug}),
    ]


@pytest.mark.usefixtures("page_cache_on")
def test_a_second_request_is_served_from_the_cache_without_queries(client, case, django_assert_num_queries):
    for url in page_urls(case):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second["X-Page-Cache"] == "hit", url
        assert without_nonces(second) == without_nonces(first), url


@pytest.mark.usefixtures("page_cache_on")
def test_every_response_has_its_own_nonce_matching_its_header(client, case):
    url = case.get_absolute_url()
    nonces = []
    for _ in range(3):
        response = client.get(url)
        found = set(NONCE.findall(response.content.decode()))
        assert len(found) == 1  # every nonce attribute of one page carries the same value
        nonce = found.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3


@pytest.mark.usefixtures("page_cache_on")
def test_different_query_strings_are_different_pages(client, case):
    url = reverse("catalogue:case-list")
    other = next(value for value in CareSetting.values if value != case.setting)
    assert case.title in client.get(f"{url}?setting={case.setting}").content.decode()
    response = client.get(f"{url}?setting={other}")
    assert response["X-Page-Cache"] == "miss"
    assert case.title not in response.content.decode()


@pytest.mark.usefixtures("page_cache_on")
def test_an_edit_to_the_case_is_shown_at_once(client, case):
    url = case.get_absolute_url()
    client.get(url)
    case.title = "Rushey Green Time Bank, renamed"
    case.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Rushey Green Time Bank, renamed" in response.content.decode()


@pytest.mark.usefixtures("page_cache_on")
def test_a_score_change_reaches_the_list_and_the_case(client, case):
    list_url = reverse("catalogue:case-list")
    client.get(list_url)
    client.get(case.get_absolute_url())
    score = case.scores.get(principle__number=1)
    score.score = 0
    score.rationale = "Re-assessed: no longer evident."
    score.save()
    assert "Re-assessed: no longer evident." in client.get(case.get_absolute_url()).content.decode()
    assert client.get(list_url)["X-Page-Cache"] == "miss"


@pytest.mark.usefixtures("page_cache_on")
def test_a_new_condition_on_a_case_refreshes_the_list(client, case):
    url = reverse("catalogue:case-list")
    client.get(url)
    case.conditions.add(ConditionFactory(name="Frailty and older people"))  # m2m_changed
    assert "Frailty and older people" in client.get(url).content.decode()


@pytest.mark.usefixtures("page_cache_on")
def test_unpublishing_takes_the_page_down_at_once(client, case):
    url = case.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"
    case.status = Status.DRAFT
    case.save()
    assert client.get(url).status_code == 404


@pytest.mark.usefixtures("page_cache_on")
def test_deleting_a_score_is_shown_at_once(client, case):
    url = case.get_absolute_url()
    client.get(url)
    PrincipleScore.objects.filter(case_study=case, principle__number=6).get().delete()  # post_delete
    assert client.get(url)["X-Page-Cache"] == "miss"


@pytest.mark.usefixtures("page_cache_on")
def test_a_deploy_that_changes_the_code_is_never_answered_with_a_page_of_the_old_one(client, case, monkeypatch):
    url = reverse("catalogue:case-list")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    monkeypatch.setattr(caching, "code_version", lambda: "the-next-release")
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_the_code_version_reads_the_projects_own_files_and_no_installed_package():
    sources = {path.resolve() for path in caching.code_sources()}
    base = Path(settings.BASE_DIR).resolve()
    assert {base / "catalogue" / "models" / "case.py", base / "principles" / "models.py",
            base / "templates" / "base.html", base / "static" / "css" / "palette.css"} <= sources  # fmt: skip
    assert [path for path in sources if not path.is_relative_to(base) or ".venv" in path.parts] == []
    assert not any(path.is_relative_to(Path(sys.prefix).resolve()) for path in sources)


def test_the_code_version_follows_the_templates_and_the_development_servers_reloader(tmp_path, settings):
    """A template's change gives a new code version: read once a process, cleared when the reloader sees a file
    change (the receiver in signals.py)."""
    from django.utils.autoreload import file_changed

    template = tmp_path / "page.html"
    template.write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    caching.code_version.cache_clear()
    try:
        before = caching.code_version()
        template.write_text("two")
        assert caching.code_version() == before  # read once a process
        file_changed.send(sender=None, file_path=template)
        assert caching.code_version() != before
    finally:
        caching.code_version.cache_clear()


@pytest.mark.usefixtures("page_cache_on")
def test_error_pages_are_not_stored(client, case):
    missing = reverse("catalogue:case-detail", kwargs={"slug": "no-such-case"})
    for _ in range(2):
        response = client.get(missing)
        assert response.status_code == 404
        assert response.get("X-Page-Cache") != "hit"
    bad = reverse("catalogue:compare") + "?case=nothing-here"
    for _ in range(2):
        response = client.get(bad)
        assert response.status_code == 400
        assert response["X-Page-Cache"] == "miss"  # looked up in the cache, never stored there


@pytest.mark.usefixtures("page_cache_on")
def test_staff_always_get_a_fresh_page_and_never_fill_the_cache(client, case):
    staff = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    draft = complete_case(title="A draft in review", slug="a-draft", status=Status.REVIEW)
    client.force_login(staff)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 200  # staff preview drafts
    assert "X-Page-Cache" not in client.get(url)
    client.logout()
    assert client.get(url).status_code == 404  # and the public never sees that preview


@pytest.mark.usefixtures("page_cache_on")
def test_the_setting_turns_it_off(client, case, settings):
    settings.CATALOGUE_PAGE_CACHE = False
    url = case.get_absolute_url()
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


# --- the cached facet counts and insights ----------------------------------------------------------------------


def facet_count(response, facet: str, slug: str) -> int:
    return next(o.count for o in response.context["facets"][facet].options if o.value == slug)


def test_cached_facet_counts_change_after_an_edit(client):
    case = complete_case()
    condition = case.conditions.get()
    url = reverse("catalogue:case-list")
    assert facet_count(client.get(url), "condition", condition.slug) == 1
    assert facet_count(client.get(url), "condition", condition.slug) == 1  # from the cache

    other = ConditionFactory()
    case.conditions.add(other)  # m2m_changed
    assert facet_count(client.get(url), "condition", other.slug) == 1
    case.status = Status.DRAFT  # post_save
    case.save()
    assert facet_count(client.get(url), "condition", condition.slug) == 0


def test_cached_insights_change_after_a_score_changes(client):
    case = complete_case(scores=(3, 3, 3, 3, 3, 3))
    url = reverse("catalogue:insights") + "?min_score=3"
    spread = client.get(url).context["spread"]
    assert spread[0].counts == (0, 0, 0, 1)
    score = case.scores.get(principle__number=1)
    score.score = 1
    score.save()
    assert client.get(url).context["spread"][0].counts == (0, 1, 0, 0)
    score.delete()  # post_delete
    assert client.get(url).context["spread"][0].counts == (0, 0, 0, 0)


def test_renaming_a_term_refreshes_the_cached_facets(client):
    case = complete_case()
    condition = case.conditions.get()
    url = reverse("catalogue:case-list")
    client.get(url)
    Condition.objects.filter(pk=condition.pk).update(name="Renamed")  # no signal ...
    condition.name = "Renamed again"
    condition.save()  # ... but a save sends one
    labels = [o.label for o in client.get(url).context["facets"]["condition"].options]
    assert "Renamed again" in labels


def test_bulk_generation_refreshes_the_caches(taxonomy, client):
    url = reverse("catalogue:case-list")
    assert client.get(url).context["result_count"] == 0
    client.get(url)
    synthetic.generate(3, seed=1)
    response = client.get(url)
    assert sum(o.count for o in response.context["facets"]["setting"].options) == 3


def test_the_version_is_shared_through_the_cache():
    first = caching.version()
    assert caching.version() == first
    caching.bump()
    assert caching.version() != first


@pytest.mark.parametrize("size", [3, 12])
def test_cached_pages_need_fewer_queries_and_do_not_grow(client, django_assert_max_num_queries, size):
    for n in range(size):
        complete_case(title=f"Case {n}", slug=f"case-{n}", setting="health", scores=(3, 2, 2, 2, 2, 2))
    list_url = reverse("catalogue:case-list") + "?setting=health&principle=building-on-capabilities"
    insights_url = reverse("catalogue:insights")
    client.get(list_url)
    client.get(insights_url)
    assert client.get(list_url).context["result_count"] == size  # results, so no "without X" suggestions
    with django_assert_max_num_queries(8):  # taxonomy choices, count, page, prefetches: no facet queries
        client.get(list_url)
    with django_assert_max_num_queries(1):
        client.get(insights_url)


@pytest.mark.django_db
def test_bumps_deferred_makes_many_edits_one_new_version_on_the_way_out():
    before = caching.version()
    with caching.bumps_deferred():
        with caching.bumps_deferred():  # nested: still one bump, by the outermost block
            caching.bump()
            caching.bump()
            assert caching.version() == before
        assert caching.version() == before
    after = caching.version()
    assert after != before
    with caching.bumps_deferred():
        pass  # nothing changed inside: no bump
    assert caching.version() == after


@pytest.mark.django_db
def test_bumps_deferred_still_bumps_when_the_block_raises():
    """Part of what happened inside may be stored (a write outside the block's own transaction): a cold cache
    costs time, a stale page would be wrong."""
    before = caching.version()
    with pytest.raises(RuntimeError), caching.bumps_deferred():
        caching.bump()
        raise RuntimeError
    assert caching.version() != before


@pytest.mark.django_db(transaction=True)
def test_a_bulk_write_bumps_once_after_its_commit(django_capture_on_commit_callbacks):
    from unittest import mock

    from catalogue import signals

    with mock.patch.object(caching, "_replace_version", wraps=caching._replace_version) as replaced:
        with signals.bulk_write():
            complete_case("One")
            complete_case("Two")
            assert replaced.call_count == 0  # nothing while the transaction is open
        assert replaced.call_count == 2  # at once, and (as outside any transaction) its on-commit run
    assert PrincipleScore.objects.count() == 12
    # The profiles were refreshed once, at the end, inside the transaction.
    assert set(PrincipleScore.objects.values_list("case_study__profile", flat=True)) == {"222222"}

"""What a cached page's key is made of: the query parameters the page reads, in one canonical form.

The page cache (caching.cached_page) must never key on the query string as sent: a parameter the page does not
read (?utm_source=..., ?x=1), an empty value, a repeat, a different order or spacing would each make a new entry
for the same page, and anyone could fill the cache with junk URLs. A page declares the parameters it reads
(a QueryShape); everything else is dropped, and what is left is put in one form. Unknown *values* of those
parameters (a condition that does not exist, sort=zzz) cannot be told apart here without a query, so the view
marks the page it rendered for them as not to be stored (caching.not_stored): junk never makes a new entry.

This module is pure: it reads only the query, so a cache hit still costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict


@dataclass(frozen=True)
class QueryShape:
    """The parameters a page reads. `multiple` may repeat (their order is kept: it is the order the page shows
    them in); every other name is read once (the last value, as QueryDict.get does). `text` values are read
    with their spaces collapsed, `integers` as whole numbers, as the views read them."""

    multiple: tuple[str, ...] = ()
    single: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()

    def canonical(self, query: QueryDict) -> list[tuple[str, str]]:
        """The parameters the page reads, in names' alphabetical order, without empty values or repeats."""
        params: list[tuple[str, str]] = []
        for name in sorted({*self.multiple, *self.single} & set(query)):
            values = [self._value(name, v) for v in query.getlist(name)]
            values = list(dict.fromkeys(v for v in values if v))
            if name not in self.multiple:
                values = values[-1:]
            params.extend((name, value) for value in values)
        return params

    def _value(self, name: str, value: str) -> str:
        if name in self.text:
            return " ".join(value.split())
        if name in self.integers:
            stripped = value.strip()
            # "02", " 2" and "+2" are page 2; anything else is left for the view to refuse in words.
            return str(int(stripped)) if stripped.lstrip("+").isdigit() else value
        return value


NO_PARAMETERS = QueryShape()


def query_dict(params: list[tuple[str, str]]) -> QueryDict:
    """The canonical parameters as the request's GET, so the page the view renders (its links too) is the same
    for every request that has this key."""
    query = QueryDict(mutable=True)
    for name, value in params:
        query.appendlist(name, value)
    query._mutable = False
    return query

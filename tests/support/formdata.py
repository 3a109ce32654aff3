"""Read a rendered HTML form back into POST data, as a browser would submit it unchanged."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__()
        self.form_id = form_id
        self.inside = form_id is None
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_values: list[str] = []
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.form_id and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            self._input(name, a)
        elif tag == "select" and name:
            self._select, self._select_values, self._select_first = name, [], None
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option(a)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def _input(self, name, a):
        kind = a.get("type", "text")
        if kind in {"checkbox", "radio"}:
            if "checked" in a:
                self.data.append((name, a.get("value", "on")))
        elif kind not in {"submit", "button", "file", "image", "reset"}:
            self.data.append((name, a.get("value", "")))

    def _option(self, a):
        value = a.get("value", "")
        if self._select_first is None:
            self._select_first = value
        if "selected" in a:
            self._select_values.append(value)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            values = self._select_values
            if not values and not self._multiple and self._select_first is not None:
                values = [self._select_first]  # a single select submits its first option when none is selected
            self.data.extend((self._select, v) for v in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self.inside and self.form_id:
            self.inside = False

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def read_form(html: str, form_id: str | None = None) -> dict[str, list[str]]:
    reader = _FormReader(form_id)
    reader.feed(html)
    result: dict[str, list[str]] = {}
    for name, value in reader.data:
        result.setdefault(name, []).append(value)
    return result

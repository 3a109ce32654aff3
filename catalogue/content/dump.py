"""Writing stored cases back as content files (fixtures/cases/<slug>.yaml), so editors' work can be committed.

A dumped file has the fixture files' keys in their order (records.FILE_KEYS) and their layout: the summary as a
folded block, the body sections as literal blocks (paragraphs kept), conditions, approaches and scores in flow
style. Loading it gives back exactly the stored values (records.py compares the two sides the same way), so
`load_catalogue --replace` after a dump finds nothing to replace. Synthetic cases are never written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from catalogue.models import CaseStudy

from .records import FILE_KEYS, ROW_FIELDS, SITE_KEYS, cases_to_dump, stored_values

FOLDED_KEYS = {"summary"}  # one paragraph, wrapped for reading, as the fixture files have it
SUMMARY_WIDTH = 90
YAML_ONLY_BREAKS = set("\x85\u2028\u2029")  # line breaks to YAML 1.1 (PyYAML), ordinary characters to Python


class _Folded(str):
    pass


class _Literal(str):
    pass


class _Quoted(str):
    pass


class _Flow(list):
    pass


class _FlowMap(dict):
    pass


class _Dumper(yaml.SafeDumper):
    """The fixture files' layout: a list inside a mapping is indented, and quoted text uses double quotes."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def choose_scalar_style(self):
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


_Dumper.add_representer(_Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style=">"))
_Dumper.add_representer(_Literal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|"))
_Dumper.add_representer(_Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))
_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))


def record(case: CaseStudy) -> dict[str, Any]:
    """The case as its file has it (plain values, in file order)."""
    values = stored_values(case)
    values["partners"] = values["partners"].split("\n") if values["partners"] else []  # as the loader joins them
    values["conditions"] = list(values["conditions"])
    values["approaches"] = list(values["approaches"])
    for key, names in ROW_FIELDS.items():
        values[key] = [dict(zip(names, row, strict=True)) for row in values[key]]
    values["sites"] = [dict(zip(SITE_KEYS, row, strict=True)) for row in values["sites"]]
    values["scores"] = {
        slug: {"score": s, "rationale": r} | ({"moderation": m} if m else {})
        for slug, (s, r, m) in values["scores"].items()
    }
    values["assessments"] = [_assessment(entry) for entry in values["assessments"]]
    return {"slug": case.slug} | {key: values[key] for key in FILE_KEYS if key != "slug"}


def case_yaml(case: CaseStudy) -> str:
    """The case's file text. Each top-level key is written on its own, so the summary can wrap while other
    long lines stay whole (one value a line, as in the fixture files)."""
    parts = []
    for key, value in record(case).items():
        width = SUMMARY_WIDTH if key in FOLDED_KEYS else 1_000_000
        parts.append(
            yaml.dump({key: _styled(key, value)}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=width)
        )
    return "".join(parts)


def _styled(key: str, value: Any) -> Any:
    if isinstance(value, str):
        if YAML_ONLY_BREAKS & set(value):
            return _Quoted(value)  # a block would read them back as line breaks; double quotes escape them
        if key in FOLDED_KEYS and value and "\n" not in value:
            return _Folded(value)
        return _Literal(value) if "\n" in value else value
    if key in {"conditions", "approaches"}:
        return _Flow(value)
    if key == "scores":
        return {slug: _flow_score(entry) for slug, entry in value.items()}
    if key == "assessments":
        return [entry | {"scores": {slug: _flow_score(e) for slug, e in entry["scores"].items()}} for entry in value]
    return value


def _assessment(stored: tuple) -> dict[str, Any]:
    label, role, rubric, assessed_on, confidence, scores = stored
    return {
        "label": label, "role": role, "rubric": rubric, "assessed_on": assessed_on, "confidence": confidence,
        "scores": {
            slug: {"score": s, "rationale": r} | ({"source": source} if source else {})
            for slug, (s, r, source) in scores.items()
        },
    }  # fmt: skip


def _flow_score(entry: dict[str, Any]) -> _FlowMap:
    return _FlowMap(**{key: _Quoted(value) if isinstance(value, str) else value for key, value in entry.items()})


class UnknownCases(Exception):
    def __init__(self, slugs: Sequence[str]):
        self.slugs = list(slugs)
        super().__init__(", ".join(self.slugs))


def dump(output_dir: Path, slugs: Sequence[str] = ()) -> list[Path]:
    """Write output_dir/cases/<slug>.yaml for the given cases (every real case when none), each file replaced
    whole (written beside it, then renamed: a reader never sees half a file); return the paths. Raises
    UnknownCases, having written nothing, for a slug no real case has."""
    cases = cases_to_dump()
    if slugs:
        cases = cases.filter(slug__in=slugs)
    cases = list(cases)
    unknown = sorted(set(slugs) - {case.slug for case in cases})
    if unknown:
        raise UnknownCases(unknown)
    target = Path(output_dir) / "cases"
    target.mkdir(parents=True, exist_ok=True)
    return [_write(target / f"{case.slug}.yaml", case_yaml(case)) for case in cases]


def _write(path: Path, text: str) -> Path:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; a content file is as readable as the others
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path

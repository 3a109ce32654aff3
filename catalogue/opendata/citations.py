"""How to cite a case study: one citation, written as APA-style text (the case page and the PDFs show it), BibTeX,
RIS and CSL-JSON (downloads from the case page, for reference managers).

The author and publisher is the catalogue itself (the texts and scores are its own); the date is the day the case
was last reviewed (else first published), the address its permanent page. Each format is a few fixed fields, so
they are written here rather than through a formatting library; the escaping each needs is in its writer.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.dateformat import format as format_date

from ..models import CaseStudy

GENRE = "Case study"


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    author: str
    url: str
    issued: datetime.date | None
    last_reviewed: datetime.date | None

    @property
    def reviewed_note(self) -> str:
        return f"Last reviewed {format_date(self.last_reviewed, 'j F Y')}" if self.last_reviewed else "Not yet reviewed"


def citation(case: CaseStudy) -> Citation:
    published = case.first_published_at.date() if case.first_published_at else None
    return Citation(
        key=f"coproduction-catalogue-{case.slug}",
        title=" ".join(case.title.split()),  # one line: RIS and BibTeX fields end at a line break
        author=settings.SITE_NAME,
        url=f"{settings.SITE_URL}{case.get_absolute_url()}",
        issued=case.last_reviewed or published,
        last_reviewed=case.last_reviewed,
    )


def apa(cite: Citation) -> str:
    """APA 7 for a web page whose author is the site: Author. (Year, Month Day). Title [Genre]. URL"""
    when = f"{cite.issued.year}, {format_date(cite.issued, 'F j')}" if cite.issued else "n.d."
    return f"{cite.author}. ({when}). {cite.title} [{GENRE}]. {cite.reviewed_note}. {cite.url}"


BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
BIBTEX_SPECIAL = re.compile("|".join(re.escape(character) for character in BIBTEX_SPECIALS))
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _bibtex_text(text: str) -> str:
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_SPECIALS[match.group(0)], text)


def bibtex(cite: Citation) -> str:
    fields = [
        ("author", "{{" + _bibtex_text(cite.author) + "}}"),  # doubled braces: a body's name, not "Catalogue, C."
        ("title", "{" + _bibtex_text(cite.title) + "}"),
        ("howpublished", "{" + _bibtex_text(f"{GENRE}, {cite.author}") + "}"),
    ]
    if cite.issued:
        fields += [("year", "{" + str(cite.issued.year) + "}"), ("month", MONTHS[cite.issued.month - 1])]
    fields += [
        ("note", "{" + _bibtex_text(cite.reviewed_note) + "}"),
        ("url", "{" + cite.url.replace("%", r"\%").replace("#", r"\#") + "}"),
    ]
    return "@misc{" + cite.key + ",\n" + "".join(f"  {name} = {value},\n" for name, value in fields) + "}\n"


def ris(cite: Citation) -> str:
    tags = [("TY", "ELEC"), ("AU", cite.author), ("TI", cite.title), ("PB", cite.author), ("M3", GENRE)]
    if cite.issued:
        tags += [("PY", str(cite.issued.year)), ("DA", cite.issued.strftime("%Y/%m/%d"))]
    tags += [("UR", cite.url), ("N1", cite.reviewed_note), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in tags)  # RIS lines end with CR LF


def csl_json(cite: Citation) -> str:
    item = {
        "id": cite.key,
        "type": "webpage",
        "genre": GENRE,
        "title": cite.title,
        "author": [{"literal": cite.author}],
        "publisher": cite.author,
        "container-title": cite.author,
        "URL": cite.url,
        "note": cite.reviewed_note,
    }
    if cite.issued:
        item["issued"] = {"date-parts": [[cite.issued.year, cite.issued.month, cite.issued.day]]}
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


# the file extension, also the format in the address: (writer, media type, name shown on the case page)
FORMATS = {
    "txt": (apa, "text/plain; charset=utf-8", "Plain text (APA style)"),
    "bib": (bibtex, "application/x-bibtex; charset=utf-8", "BibTeX"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8", "RIS (EndNote, Zotero, Mendeley)"),
    "json": (csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8", "CSL-JSON"),
}

"""Read generated PDFs back: text per page (pypdf), document properties, embedded files, fonts."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property

import pypdf


@dataclass(eq=False)
class ReadPDF:
    reader: pypdf.PdfReader

    @cached_property
    def pages(self) -> list[str]:
        """The text of each page, whitespace collapsed (margin boxes included)."""
        return [" ".join(page.extract_text().split()) for page in self.reader.pages]

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    @property
    def catalog(self):
        return self.reader.trailer["/Root"]

    @property
    def metadata(self):
        return self.reader.metadata

    def embedded_files(self) -> list[str]:
        names = list(self.reader.attachments)
        for page in self.reader.pages:
            for annotation in page.get("/Annots") or []:
                if annotation.get_object().get("/Subtype") == "/FileAttachment":
                    names.append("annotation")
        return names

    def decoded_streams(self) -> bytes:
        """Every stream in the file, decompressed and joined (content, fonts, metadata, any attachment)."""
        chunks = []
        for number in range(1, int(self.reader.trailer["/Size"])):
            try:
                obj = self.reader.get_object(number)
            except Exception:  # noqa: S112 - free or broken entries in the cross-reference table
                continue
            if isinstance(obj, pypdf.generic.StreamObject):
                chunks.append(obj.get_data())
        return b"\n".join(chunks)

    def link_targets(self) -> list[str]:
        """The URI of every link annotation."""
        targets = []
        for page in self.reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A") or {}
                if "/URI" in action:
                    targets.append(str(action["/URI"]))
        return targets

    def structure(self) -> list[tuple[str, str | None]]:
        """Every element of the tagged structure tree as (role, alternative text)."""
        found = []

        def walk(node):
            node = node.get_object()
            if isinstance(node, pypdf.generic.ArrayObject):
                for child in node:
                    walk(child)
            elif isinstance(node, pypdf.generic.DictionaryObject):
                if "/S" in node:
                    found.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
                if "/K" in node:
                    walk(node["/K"])

        walk(self.catalog["/StructTreeRoot"])
        return found

    def font_names(self) -> set[str]:
        names = set()
        for page in self.reader.pages:
            fonts = page["/Resources"].get("/Font") or {}
            for font in fonts.values():
                names.add(str(font.get_object()["/BaseFont"]))
        return names

    def page_of(self, needle: str) -> int:
        """The 1-based number of the first page whose text contains `needle`."""
        for number, text in enumerate(self.pages, start=1):
            if needle in text:
                return number
        raise AssertionError(f"{needle!r} is on no page")

    def contents_entries(self) -> dict[str, int]:
        """A booklet's contents page: each entry's text with the page number its leader points to."""
        page = self.pages[self.page_of("Contents") - 1].split("Contents", 1)[1]
        return {title.strip(): int(number) for title, number in re.findall(r"([^.]+?) \.{3,} ?(\d+)", page)}


def read_pdf(content: bytes) -> ReadPDF:
    assert content.startswith(b"%PDF-"), content[:200]
    return ReadPDF(pypdf.PdfReader(io.BytesIO(content)))

"""The editor behind an admin request, as the catalogue records them (an assessor's name, a booklet's cover)."""

from __future__ import annotations


def assessor_name(user) -> str:
    return user.get_full_name() or user.get_username()

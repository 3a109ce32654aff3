"""The count of waiting items on the admin index (templates/participation/admin_index.html)."""

from __future__ import annotations

from django import template

from ..participation.queue import waiting_counts

register = template.Library()


@register.inclusion_tag("participation/_admin_waiting.html")
def waiting_items() -> dict:
    return {"counts": waiting_counts()}

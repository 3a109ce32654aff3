"""The catalogue's choices (catalogue/choices.py)."""

from __future__ import annotations

from catalogue.models import EvidenceType


def test_strongest_evidence_follows_the_order_of_evidence_types():
    assert EvidenceType.strongest([]) is None
    assert EvidenceType.strongest(["self-reported", "cohort", "secondary"]) == EvidenceType.COHORT
    assert EvidenceType.strongest(["evaluation", "trial"]) == EvidenceType.TRIAL
    assert EvidenceType.strongest(["unknown-kind"]) is None

"""Case studies of co-production, their scores on the six principles, and the taxonomies that classify them:
terms.py (conditions, approaches, the areas sites are in), case.py (the case study), rows.py (its agreed
scores, outcome figures and sources), sites.py (where it runs),
search.py (its search document), assessment.py (its independent assessments and
its organisation's replies), participation.py (cases suggested and errors reported by visitors). Everything is
imported from here (`from catalogue.models import CaseStudy`).

Queries that mean something in the domain are methods of the QuerySets in querysets.py; writes that change a
case with its related rows go through services.py.
"""

from ..choices import (
    AssessorRole,
    CareSetting,
    Confidence,
    ErrorPart,
    EvidenceType,
    QueueStatus,
    Reach,
    RegionKind,
    Relation,
    ReplyStatus,
    Status,
)
from ..querysets import sees_unpublished
from .assessment import Assessment, AssessmentScore, ScoreReply
from .case import CaseStudy
from .participation import ErrorReport, Suggestion
from .rows import OutcomeFigure, PrincipleScore, Source
from .search import SearchDocument, SearchIndexRow
from .sites import Site
from .terms import Approach, Condition, Region, TaxonomyTerm

__all__ = [
    "Approach", "Assessment", "AssessmentScore", "AssessorRole", "CareSetting", "CaseStudy", "Condition", "Confidence",
    "ErrorPart", "ErrorReport", "EvidenceType", "OutcomeFigure", "PrincipleScore", "QueueStatus", "Reach", "Region",
    "RegionKind", "Relation", "ReplyStatus", "ScoreReply", "SearchDocument",
    "SearchIndexRow", "Site", "Source", "Status", "Suggestion", "TaxonomyTerm",
    "sees_unpublished",
]  # fmt: skip

"""Findings: screening rules and exercises as data, and the engine that applies them.

The knowledge base (``knowledge.toml``) is read with :func:`load_knowledge`;
:func:`evaluate` turns measures into findings and :func:`recommend` turns findings
into exercises in priority order.
"""

from posture.findings.engine import evaluate, evaluate_rule, index_measures, recommend
from posture.findings.load import default_knowledge_path, load_knowledge
from posture.findings.types import (
    Exercise,
    Finding,
    FindingRule,
    General,
    Knowledge,
    KnowledgeError,
    Recommendation,
    Source,
)

__all__ = [
    "Exercise",
    "Finding",
    "FindingRule",
    "General",
    "Knowledge",
    "KnowledgeError",
    "Recommendation",
    "Source",
    "default_knowledge_path",
    "evaluate",
    "evaluate_rule",
    "index_measures",
    "load_knowledge",
    "recommend",
]

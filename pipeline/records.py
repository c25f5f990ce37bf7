"""Typed records the taggers leave on the Doc (relations point at spans; emit names the fields)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span


@dataclass
class ActorInfo:
    """One actor of an article; its mentions are the spans in doc.spans["actors"] with this kb_id_."""

    id: str
    type: str
    linked: bool
    name_en: str | None = None
    name_hant: str | None = None
    name_hans: str | None = None


@dataclass
class Claim:
    span: Span
    speaker: str | None = None
    cue: Span | None = None
    kind: str = "other"
    score: float = 0.5
    actors: list[str] = field(default_factory=list)


@dataclass
class CausalLink:
    cause: Span
    effect: Span
    cues: list[Span] = field(default_factory=list)
    negated: bool = False
    conditional: bool = False
    score: float = 0.5
    cause_actors: list[str] = field(default_factory=list)
    effect_actors: list[str] = field(default_factory=list)

"""The one factory that builds the spaCy pipeline from a committed config file.

Importing this module registers the newsargs tokenizer and components with spaCy's registry;
`build(config_path)` returns the ready `Language`. Workers call it once each.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from . import __version__, lexicons, taggers  # noqa: F401  (taggers registers the components)
from .text.convert import Converter
from .text.script import ScriptDetector
from .text.segment import JiebaSegmenter, Segmenter
from .text.structure import Structure

DEFAULT_CONFIG = Path(__file__).parent / "configs" / "default.cfg"

DOC_EXTENSIONS = {
    "lang": None,            # zh-Hant | zh-Hans | en | mixed
    "simplified": None,      # Simplified copy, same length as doc.text (None for English)
    "meta": None,            # article metadata from ingest (title, date, ...)
    "paragraph_langs": None,  # one script label per doc.spans["paragraphs"] span
    "claims": None,          # list of claim records (taggers/claims.py)
    "causal_links": None,    # list of causal link records (taggers/causal.py)
    "actors": None,          # list of actor records (taggers/actors.py)
    "provenance": None,      # {component: {model/lexicon versions}} filled by taggers
}


def register_extensions() -> None:
    """Declare the custom attributes newsargs stores on Docs and Tokens (idempotent)."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Token.has_extension("simp"):
        Token.set_extension("simp", getter=_token_simplified)


def _token_simplified(token: Token) -> str:
    simplified = token.doc._.simplified
    if simplified is None:
        return token.text
    return simplified[token.idx : token.idx + len(token.text)]


@spacy.registry.tokenizers("newsargs.segmenter.v1")
def make_segmenter(opencc_config: str = "t2s", userdicts: list[str] = (), actor_registry: str | None = None, models: str | None = None):
    """Tokenizer factory: OpenCC copy + jieba with the project dictionary and registry names."""

    def create(nlp: Language) -> Segmenter:
        register_extensions()
        root = lexicons.models_dir(models)
        converter = Converter(opencc_config)
        words = []
        for rel in userdicts:
            words += list(lexicons.read_userdict(root / rel))
        if actor_registry and (root / actor_registry).is_dir():
            entries = lexicons.load_registry(root / actor_registry)
            words += lexicons.registry_words(entries, converter.to_simplified)
        jieba_seg = JiebaSegmenter(lexicons.cache_dir() / "jieba", words)
        return Segmenter(nlp.vocab, converter, jieba_seg)

    return create


@Language.factory("newsargs_structure", assigns=["doc.spans", "token.is_sent_start", "doc._.paragraph_langs"])
def make_structure(nlp: Language, name: str) -> Structure:
    register_extensions()
    # the segmenter's detector, whose character tables take a tenth of a second to build
    detector = nlp.tokenizer.detector if isinstance(nlp.tokenizer, Segmenter) else ScriptDetector()
    return Structure(detector)


def build(config_path: Path | str | None = None) -> Language:
    """Build the pipeline described by a config file (default: configs/default.cfg)."""
    register_extensions()
    path = Path(config_path) if config_path else DEFAULT_CONFIG
    config = spacy.util.load_config(path, interpolate=True)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.meta["newsargs_config_hash"] = config_hash(path)
    return nlp


def config_hash(config_path: Path | str | None = None) -> str:
    """A hash of the config text, the package version and every data file under models/ (not the READMEs).

    A change to any of them changes what the pipeline outputs, so it invalidates resumed results.
    """
    path = Path(config_path) if config_path else DEFAULT_CONFIG
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(path.read_bytes())
    configured = spacy.util.load_config(path, interpolate=True).get("paths", {}).get("models")
    root = lexicons.models_dir(configured)
    if root.is_dir():
        for f in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".md"):  # READMEs change no output
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]

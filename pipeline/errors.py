"""The error catalog: every error newsargs reports has a code and a message that says what to do."""

from __future__ import annotations


class Errors:
    """Message templates, keyed by code. Format with `.format(**kwargs)`."""

    E001 = "Input path {path} does not exist."
    E002 = "Cannot write to the output folder {path}: {reason}"
    E003 = "Config file {path} cannot be read: {reason}"
    E010 = "{path}: the file is empty (nothing but white space)."
    E011 = "{path}: the bytes are not text in any supported encoding (UTF-8, UTF-16, Big5-HKSCS, GB18030)."
    E012 = "{path}: the file looks binary (NUL bytes or control characters); only .txt, .md and .jsonl text is read."
    E013 = "{path}: line {line} is not valid JSON ({reason}); fix or remove the line."
    E014 = "{path}: line {line} has no non-empty string field 'text'."
    E015 = "{path}: the YAML front matter cannot be parsed ({reason}); close it with a line '---'."
    E016 = "{path}: line {line} repeats the id {id!r}; ids in one .jsonl file must be unique."
    E020 = "OpenCC {config} changed the text length ({before} -> {after}); use a length-preserving config (t2s, tw2s, hk2s)."
    E021 = "Unknown OpenCC config {config!r}; choose one of t2s, tw2s, hk2s."
    E030 = "Segmentation lost text: the tokens do not rebuild the original ({where})."
    E040 = "Lexicon {path} is invalid: {reason}"
    E050 = "Stage {stage} failed on {path}: {reason}"
    E060 = "The emitted document for {path} does not match the newsargs/1 schema: {reason}"


class NewsargsError(Exception):
    """Base class of every error newsargs raises on purpose. `code` is a key of `Errors`."""

    def __init__(self, code: str, stage: str = "", **kwargs):
        self.code = code
        self.stage = stage
        self.message = getattr(Errors, code).format(**kwargs)
        super().__init__(f"[{code}] {self.message}")


class InputError(NewsargsError):
    """The input file cannot be turned into an article."""


class UsageError(NewsargsError):
    """The command line or the environment is wrong; the run cannot start."""

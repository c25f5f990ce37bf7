"""The taggers, each a registered spaCy component; importing this package registers them all.

They meet only on the Doc: actors first (doc.spans["actors"], doc._.actors), then claims and
causal links read those spans.
"""

from . import actors, causal, claims  # noqa: F401

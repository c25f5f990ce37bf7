"""Shared fixtures (only here): the default pipeline, built once per test session."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def nlp():
    from pipeline import nlp as nlp_module

    return nlp_module.build()


@pytest.fixture(scope="session")
def spine_nlp(spine_config):
    """The pipeline without the taggers (tokenizer + structure), built once per session.

    Text-layer tests use it: they test the spine, and a tagger lexicon that is being edited
    (or is broken) elsewhere must not take them down.
    """
    from pipeline import nlp as nlp_module

    return nlp_module.build(spine_config)


@pytest.fixture(scope="session")
def spine(spine_nlp):
    """text -> Doc with tokens, paragraphs and sentences (no taggers)."""

    def make(text: str, meta: dict | None = None):
        doc = spine_nlp.make_doc(text)
        doc._.meta = meta or {"title": None, "date": None}
        for _, proc in spine_nlp.pipeline:
            doc = proc(doc)
        return doc

    return make


@pytest.fixture(scope="session")
def spine_config(tmp_path_factory) -> Path:
    """The default config with the taggers left out, for batch and CLI mechanics tests.

    Resume, --force, error records and atomic writes are properties of the runner; keeping the
    taggers (written elsewhere, still changing) out of those tests keeps them about the runner.
    """
    import spacy

    from pipeline import nlp as nlp_module

    config = spacy.util.load_config(nlp_module.DEFAULT_CONFIG, interpolate=False)
    config["nlp"]["pipeline"] = ["structure"]
    config["components"] = {"structure": config["components"]["structure"]}
    path = tmp_path_factory.mktemp("config") / "spine.cfg"
    config.to_disk(path)
    return path


def load_cases(name: str) -> list[dict]:
    """Table-driven cases from tests/data/<name>: a list of {id, input, expected}."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# Short articles written for these tests, in the register of HK/TW/mainland commentary.
ARTICLES = {
    "hk-tariffs.txt": "關稅戰的代價\n\n美國周二宣布對更多中國貨品加徵關稅，北京隨即表示將採取反制措施。\n\n"
                      "分析人士認為，香港出口商首當其衝。「這不是第一次，也不會是最後一次。」一名商會代表說。",
    "tw-chips.txt": "台灣半導體業者正評估出口管制的影響。業界擔心，供應鏈重組將推高成本；"
                    "政府則強調會與盟友協調。\n\n這對台積電意味甚麼？短期影響有限，長期仍有變數。",
    "cn-rare-earth.txt": "商务部宣布对部分稀土物项实施出口管制。分析认为，此举是对美方实体清单的回应。\n\n"
                         "外界关注，欧盟是否会跟进。",
    "en-steel.txt": "Steel and the tariff truce\n\nThe U.S. said on Tuesday that it would keep tariffs on steel. "
                    "Mr. Lee, a trade analyst, said the move was expected.\n\nWill Beijing respond? Probably.",
    "sub/hk-freight.md": "---\ntitle: 紅海航運受阻\ndate: 2025-03-02\nlang: zh-Hant\n---\n"
                         "紅海航運受阻，運費急升……港商叫苦連天。\n\n有船公司表示，繞道好望角要多花十天。",
    "sub/tw-energy.txt": "能源安全是台灣的弱項。液化天然氣存量僅夠十一天，一旦海上封鎖，後果不堪設想。",
    "mixed.txt": "美國商務部長在記者會上說：The export controls will stay in place for as long as needed. "
                 "此話一出，市場震動。",
    "feed.jsonl": '{"id": "j1", "title": "歐盟電動車關稅", "date": "2025-06-12", "text": "歐盟對中國電動車加徵關稅，北京表示強烈不滿。"}\n'
                  '{"id": "j2", "text": "The EU said talks with Beijing on electric vehicles would continue."}\n',
}


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A small corpus (8 files: .txt, .md with front matter, .jsonl; all three scripts)."""
    root = tmp_path / "in"
    for rel, text in ARTICLES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def fixed_hash(monkeypatch, spine_config):
    """Pin the config hash the batch runner sees, so resume tests do not depend on models/
    (other people edit it while the suite runs). For runs with `spine_config`.

    Returns a setter: fixed_hash("h2") makes the next run see another config.
    """
    from pipeline import nlp as nlp_module
    from pipeline.executors.worker import pipeline

    pipeline(str(spine_config))  # built (and cached) with the real hash before it is pinned

    current = {"value": "h1"}
    monkeypatch.setattr(nlp_module, "config_hash", lambda config_path=None: current["value"])

    def set_hash(value: str) -> None:
        current["value"] = value

    return set_hash


# Pieces of mixed-script text for the property tests: Traditional, Simplified, Latin names and
# prose, digits, Chinese and English punctuation, white space of every kind, full-width forms,
# HKSCS and astral (rare) CJK characters.
MIXED_PIECES = [
    "美國", "關稅", "實體清單", "對華", "香港特區政府", "臺灣", "台灣", "回應", "這", "說", "嗎", "後", "發展", "乾",
    "美国", "关税", "实体清单", "对华", "欧盟", "稀土", "这", "说", "后", "发展",
    "的", "了", "是", "不", "將", "会", "也", "他",
    "IEA", "F-35", "TikTok", "U.S.", "Mr.", "the", "The", "tariffs", "said", "will", "Beijing", "e.g.",
    "2025", "35", "1.5%", "１２３", "ＡＢＣ",
    "。", "，", "！", "？", "「", "」", "『", "』", "；", "……", "…", "、", "：", "（", "）", "“", "”",
    ".", ",", "!", "?", "'", '"', "-", "#", "---",
    " ", "  ", "\n", "\n\n", "\u3000", "\u3000\u3000", "\t", " \n",
    "啲", "嘅", "咗", "㗎", "𠀀", "𨋢", "𪚥", "䢂", "\u9fff",
]
MIXED_CHARS = "".join(sorted({ch for piece in MIXED_PIECES for ch in piece}))


@pytest.fixture(scope="session")
def mixed_text():
    """A hypothesis strategy for random mixed-script strings (draw it with st.data())."""
    from hypothesis import strategies as st

    piece = st.one_of(st.sampled_from(MIXED_PIECES), st.text(alphabet=MIXED_CHARS, min_size=1, max_size=4))
    return st.lists(piece, min_size=1, max_size=40).map("".join)


@pytest.fixture(scope="session")
def dev_scores(nlp, tmp_path_factory):
    """The default pipeline run once over corpora/gold/dev and scored: the report's "overall"
    block. Quality-floor tests of every tagger share it (skips without gold)."""
    dev = ROOT / "corpora" / "gold" / "dev"
    if not dev.is_dir() or not list(dev.glob("*.json")):
        pytest.skip("no dev gold corpus")
    from pipeline import emit, ingest
    from pipeline.eval import evaluate

    out = tmp_path_factory.mktemp("dev-pred")
    info = {"version": "test", "config_hash": "test", "components": list(nlp.pipe_names)}
    for path in sorted(dev.glob("*.txt")):
        article = next(ingest.read_path(path, dev))
        doc = nlp.make_doc(article.text)
        doc._.meta = article.meta
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        emit.write_atomic(out / article.out, emit.dumps(emit.document(doc, article, info)))
    return evaluate(dev, out)["overall"]


MARKUP = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def marked_doc(nlp, marked: str):
    """A Doc built by hand for tagger tests: tokens and structure from the pipeline, actor
    mentions from `[surface](id)` markup instead of the actors tagger (so a claims or causal
    test does not depend on what the actors tagger finds)."""
    from pipeline.text.retokenize import split_at

    parts, mentions, pos = [], [], 0
    for m in MARKUP.finditer(marked):
        parts.append(marked[pos : m.start()])
        start = sum(len(p) for p in parts)
        parts.append(m.group(1))
        mentions.append((start, start + len(m.group(1)), m.group(2)))
        pos = m.end()
    parts.append(marked[pos:])
    doc = nlp.make_doc("".join(parts))
    doc = nlp.get_pipe("structure")(doc)
    split_at(doc, {a for a, _, _ in mentions} | {b for _, b, _ in mentions})
    doc.spans["actors"] = [doc.char_span(a, b, label=k.split(":")[0].upper(), kb_id=k) for a, b, k in mentions]
    return doc

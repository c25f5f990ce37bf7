"""Ingest: encodings, line endings, front matter, .jsonl, ids and output paths, bad inputs."""

from __future__ import annotations

import codecs
import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import ingest
from pipeline.ingest import Article, Failure

TRAD = "美國周二宣布對更多中國貨品加徵關稅，北京隨即表示將採取反制措施。分析人士認為，香港出口商首當其衝。"
SIMP = "商务部宣布对部分稀土物项实施出口管制。分析认为，此举是对美方实体清单的回应。"
ENGLISH = "The U.S. said on Tuesday that it would keep tariffs on steel."


def read_one(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    items = list(ingest.read_path(path, tmp_path))
    assert len(items) == 1
    return items[0]


# --- encodings ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, data, encoding",
    [
        (TRAD, TRAD.encode("utf-8"), "utf-8"),
        (SIMP, codecs.BOM_UTF8 + SIMP.encode("utf-8"), "utf-8-sig"),
        (TRAD, codecs.BOM_UTF16_LE + TRAD.encode("utf-16-le"), "utf-16"),
        (TRAD, codecs.BOM_UTF16_BE + TRAD.encode("utf-16-be"), "utf-16"),
        (SIMP, codecs.BOM_UTF16_BE + SIMP.encode("utf-16-be"), "utf-16"),
        (TRAD, TRAD.encode("big5hkscs"), "big5hkscs"),
        (SIMP, SIMP.encode("gb18030"), "gb18030"),
        (TRAD, TRAD.encode("gb18030"), "gb18030"),
        (ENGLISH, ENGLISH.encode("utf-8"), "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16be-bom-simp", "big5hkscs", "gb18030",
         "gb18030-trad", "ascii"],
)
def test_ingest_decodes_each_encoding(tmp_path, text, data, encoding):
    article = read_one(tmp_path, "a.txt", data)
    assert isinstance(article, Article), article
    assert article.text == text
    assert article.source["encoding"] == encoding
    assert article.source["bytes"] == len(data)
    assert article.source["sha256"] == hashlib.sha256(data).hexdigest()


def test_ingest_bom_is_not_kept_in_the_text(tmp_path):
    for data in (codecs.BOM_UTF8 + TRAD.encode(), codecs.BOM_UTF16_LE + TRAD.encode("utf-16-le")):
        article = read_one(tmp_path, "a.txt", data)
        assert not article.text.startswith("\ufeff")


@pytest.mark.parametrize(
    "text",
    [
        "佢哋講咗好耐，啲嘢都未搞掂。",          # Cantonese: HKSCS characters
        "有市民直言：「啲嘢貴咗咁多，邊個頂得順？」",
        "中文測試",                           # short Big5 text
        "台灣的下一步",
        "貿易戰下的香港",
    ],
)
def test_ingest_big5hkscs_short_and_cantonese_text_is_not_read_as_gb18030(tmp_path, text):
    # Regression: short Big5 text and text with HKSCS characters decoded as GB18030 mojibake.
    article = read_one(tmp_path, "hk.txt", text.encode("big5hkscs"))
    assert article.source["encoding"] == "big5hkscs"
    assert article.text == text


@pytest.mark.parametrize("text", ["关税", "商务部宣布", "美方实体清单", "欧盟是否会跟进"])
def test_ingest_short_gb18030_text_stays_gb18030(tmp_path, text):
    article = read_one(tmp_path, "cn.txt", text.encode("gb18030"))
    assert (article.text, article.source["encoding"]) == (text, "gb18030")


def test_ingest_crlf_and_cr_become_lf(tmp_path):
    data = "第一段。\r\n\r\n第二段。\r第三段。\n".encode("utf-8")
    article = read_one(tmp_path, "a.txt", data)
    assert article.text == "第一段。\n\n第二段。\n第三段。\n"


def test_ingest_crlf_normalised_in_utf16_and_big5(tmp_path):
    text = "美國宣布。\r\n北京回應。"
    for data in (codecs.BOM_UTF16_LE + text.encode("utf-16-le"), text.encode("big5hkscs")):
        assert read_one(tmp_path, "a.txt", data).text == "美國宣布。\n北京回應。"


def test_ingest_keeps_full_width_characters(tmp_path):
    text = "\u3000\u3000ＷＴＯ裁定：美方１２３項措施違規！（完）\u3000「ＯＫ」"
    article = read_one(tmp_path, "a.txt", text.encode("utf-8"))
    assert article.text == text  # no NFKC, no width folding, indentation kept


# --- bad inputs ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, data, code",
    [
        ("undecodable.txt", b"tariffs \xff\xff\xfa\xfb rise " * 3, "E011"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "E012"),
        ("controls.txt", "正文".encode() + bytes(range(1, 9)) * 3, "E012"),
        ("empty.txt", b"", "E010"),
        ("blank.md", b" \n\r\n\t\n", "E010"),
        ("only-front-matter.md", b"---\ntitle: x\n---\n\n", "E010"),
        ("bad-yaml.md", "---\ntitle: [unclosed\n---\n正文。".encode(), "E015"),
        ("list-yaml.md", "---\n- a\n- b\n---\n正文。".encode(), "E015"),
        ("odd-utf16.txt", codecs.BOM_UTF16_LE + b"\x41", "E011"),
    ],
)
def test_ingest_bad_file_is_a_failure_naming_file_and_stage(tmp_path, name, data, code):
    failure = read_one(tmp_path, name, data)
    assert isinstance(failure, Failure)
    assert (failure.path, failure.stage, failure.code) == (name, "ingest", code)
    assert name in failure.message
    record = failure.record()
    assert record["path"] == name and record["stage"] == "ingest" and record["code"] == code


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_ingest_empty_jsonl_is_a_failure(tmp_path, data):
    # Regression: an empty .jsonl file produced nothing at all, not even an error record.
    failure = read_one(tmp_path, "feed.jsonl", data)
    assert isinstance(failure, Failure)
    assert (failure.path, failure.stage, failure.code) == ("feed.jsonl", "ingest", "E010")


def test_ingest_jsonl_bad_lines_are_failures_and_the_good_lines_are_read(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "第一篇。"}),
        "not json at all",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": 5}),
        json.dumps({"id": "d", "text": "   "}),
        json.dumps(["a list"]),
        json.dumps({"id": "a", "text": "重複的編號。"}),
        json.dumps({"id": "e", "text": "第二篇。"}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(ingest.read_path(path, tmp_path))
    good = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, Failure)]
    assert [a.id for a in good] == ["a", "e"]
    assert [(f.code, f.extra["line"]) for f in bad] == [
        ("E013", 2), ("E014", 3), ("E014", 4), ("E014", 5), ("E014", 6), ("E016", 7)]
    for f in bad:
        assert f.path == "feed.jsonl" and f.stage == "ingest"
        assert f.record()["line"] == f.extra["line"]


def test_ingest_jsonl_undecodable_file_is_one_failure(tmp_path):
    failure = read_one(tmp_path, "feed.jsonl", b'{"text": "\xff\xff\xfa"}\n')
    assert isinstance(failure, Failure) and failure.code == "E011"


def test_ingest_invalid_date_in_front_matter_is_a_failure_not_a_crash(tmp_path):
    # Regression: YAML turned `date: 2025-13-45` into a ValueError that escaped read_document
    # and stopped the whole batch.
    failure = read_one(tmp_path, "a.md", "---\ntitle: x\ndate: 2025-13-45\n---\n正文。".encode())
    assert isinstance(failure, Failure)
    assert (failure.stage, failure.code) == ("ingest", "E015")


# --- front matter and meta ------------------------------------------------------------------

def test_ingest_front_matter_gives_title_date_lang_and_is_cut_from_the_text(tmp_path):
    data = "---\ntitle: 紅海航運受阻\ndate: 2025-03-02\nlang: zh-Hant\nsource: 測試報\n---\n紅海航運受阻。\n".encode()
    article = read_one(tmp_path, "a.md", data)
    assert article.text == "紅海航運受阻。\n"
    assert article.meta["title"] == "紅海航運受阻"
    assert article.meta["date"] == "2025-03-02"
    assert article.meta["lang"] == "zh-Hant"
    assert article.meta["source"] == "測試報"


def test_ingest_front_matter_with_crlf_and_bom(tmp_path):
    data = codecs.BOM_UTF8 + "---\r\ntitle: T\r\n---\r\n正文。".encode()
    article = read_one(tmp_path, "a.md", data)
    assert (article.text, article.meta["title"]) == ("正文。", "T")


def test_ingest_empty_front_matter_block_is_cut(tmp_path):
    # Regression: '---\n---' (a block with no fields) stayed in the article text.
    article = read_one(tmp_path, "a.md", "---\n---\n正文。".encode())
    assert article.text == "正文。"
    assert article.meta == {"title": None, "date": None}


def test_ingest_unclosed_front_matter_stays_text(tmp_path):
    data = "---\ntitle: T\n正文沒有結束線。".encode()
    article = read_one(tmp_path, "a.md", data)
    assert article.text == data.decode() and article.meta["title"] is None


@pytest.mark.parametrize(
    "value, expected",
    [("2025-10-14", "2025-10-14"), ("2025-10-14T10:00:00+08:00", "2025-10-14"), ('"2025/3/2"', "2025-03-02"),
     ('"2025年3月2日"', "2025-03-02"), ('"14/10/2025"', None), ("yesterday", None), ('"2025-02-30"', None)],
)
def test_ingest_front_matter_date_is_iso_or_null(tmp_path, value, expected):
    article = read_one(tmp_path, "a.md", f"---\ndate: {value}\n---\n正文。".encode())
    assert article.meta["date"] == expected


def test_ingest_dateline_gives_the_date_when_front_matter_has_none(tmp_path):
    article = read_one(tmp_path, "a.txt", "日期：2025-10-14\n美國宣布加徵關稅。".encode())
    assert article.meta["date"] == "2025-10-14"


def test_ingest_front_matter_lists_stay_json_values(tmp_path):
    # Regression: a YAML list became its Python repr ("['a', 'b']") in the JSON meta, and .nan
    # became NaN, which is not JSON.
    data = "---\ntags: [貿易, 關稅]\nn: {x: 1, when: 2025-01-02}\nratio: .nan\n---\n正文。".encode()
    article = read_one(tmp_path, "a.md", data)
    assert article.meta["tags"] == ["貿易", "關稅"]
    assert article.meta["n"] == {"x": 1, "when": "2025-01-02"}
    assert article.meta["ratio"] == "nan"  # NaN is not JSON
    json.dumps(article.meta, allow_nan=False)


def test_ingest_jsonl_meta_from_fields(tmp_path):
    line = {"id": "j1", "title": "歐盟電動車關稅", "date": "2025-06-12", "text": "正文\r\n第二行", "extra": "x"}
    article = read_one(tmp_path, "feed.jsonl", (json.dumps(line, ensure_ascii=False) + "\n").encode())
    assert article.text == "正文\n第二行"
    assert article.meta["title"] == "歐盟電動車關稅" and article.meta["date"] == "2025-06-12"
    assert article.meta["extra"] == "x"
    assert "text" not in article.meta and "id" not in article.meta
    assert article.source["line"] == 1


# --- ids and output paths -------------------------------------------------------------------

def test_ingest_id_and_out_are_the_relative_path(tmp_path):
    article = read_one(tmp_path, "hk/2025/tariffs.txt", TRAD.encode())
    assert article.id == "hk/2025/tariffs"
    assert article.out == "hk/2025/tariffs.json"
    assert article.source["path"] == "hk/2025/tariffs.txt"


def test_ingest_front_matter_id_names_the_article_but_not_the_file(tmp_path):
    article = read_one(tmp_path, "a.md", "---\nid: hk-001\n---\n正文。".encode())
    assert article.id == "hk-001" and article.out == "a.json"


def test_ingest_single_file_input_uses_its_name(tmp_path):
    path = tmp_path / "deep" / "one.txt"
    path.parent.mkdir()
    path.write_text(TRAD, encoding="utf-8")
    (article,) = ingest.read_path(path, path)
    assert (article.id, article.out, article.source["path"]) == ("one", "one.json", "one.txt")


def test_ingest_jsonl_out_is_stem_folder_and_id(tmp_path):
    lines = [{"id": "j1", "text": "第一篇。"}, {"text": "沒有編號。"}, {"id": "a/b c", "text": "路徑字元。"}, {"id": "", "text": "空。"}]
    path = tmp_path / "feeds" / "daily.jsonl"
    path.parent.mkdir()
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    items = list(ingest.read_path(path, tmp_path))
    assert [(a.id, a.out) for a in items] == [
        ("j1", "feeds/daily/j1.json"),
        ("line-2", "feeds/daily/line-2.json"),
        ("a/b c", "feeds/daily/a_b_c.json"),   # no folder escapes: '/' never reaches the path
        ("line-4", "feeds/daily/line-4.json"),
    ]


def test_ingest_id_zero_is_an_id(tmp_path):
    # Regression: `record.get("id") or ...` replaced the id 0 by line-N (and front matter id: 0
    # by the file name).
    feed = read_one(tmp_path, "feed.jsonl", b'{"id": 0, "text": "zero"}\n')
    assert (feed.id, feed.out) == ("0", "feed/0.json")
    doc = read_one(tmp_path, "a.md", b"---\nid: 0\n---\nzero")
    assert doc.id == "0"


def test_ingest_find_inputs_is_recursive_sorted_and_filtered(tmp_path):
    for rel in ["b.txt", "a/c.md", "a/d.jsonl", "e.TXT", "f.json", "g.csv", ".hidden/h.txt", "a/.i.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in ingest.find_inputs(tmp_path)]
    assert found == ["a/c.md", "a/d.jsonl", "b.txt", "e.TXT"]


# --- never raises ----------------------------------------------------------------------------

FRONT_LINES = st.lists(
    st.sampled_from(["title: 標題", "date: 2025-10-14", "date: 2025-13-45", "date: 2025-02-30", "lang: zh-Hant",
                     "tags: [a, b]", "x: .inf", "id: 0", "- item", "a: [unclosed", "b: {c: d}", "? complex",
                     "&anchor x: *anchor", "!!binary x", "date: !!timestamp nope", ": :", ""]),
    max_size=5,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=FRONT_LINES, body=st.text(max_size=40), tail=st.binary(max_size=20))
def test_ingest_read_document_never_raises(front, body, tail):
    # Regression: `date: !!timestamp nope` raised AttributeError inside PyYAML and stopped the batch.
    data = ("---\n" + "\n".join(front) + "\n---\n" + body).encode("utf-8") + tail
    item = ingest.read_document(data, "a.md")
    assert isinstance(item, (Article, Failure))
    if isinstance(item, Article):
        json.dumps(item.meta, allow_nan=False)
        assert item.meta["date"] is None or len(item.meta["date"]) == 10


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=60))
def test_ingest_read_jsonl_never_raises(data):
    for item in ingest.read_jsonl(data, "feed.jsonl"):
        assert isinstance(item, (Article, Failure))

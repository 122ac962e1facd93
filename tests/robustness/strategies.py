"""Hypothesis strategies shared by the fuzz tests: editor form posts, JSON, menu-shaped JSON."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from menueditor.platforms import FIELD_NAMES

# Text a browser can send: any Unicode but lone surrogates (which no UTF-8 form can carry).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
short_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
hostile_text = st.one_of(
    text,
    st.integers(100, 3000).map(lambda n: "x" * n),  # past every field's limit
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\u202e\u200b",
            "😀" * 20,
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "-1",
            "0",
            "1",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "今日歌曲推荐今日歌曲推荐",
            "http://example.com/",
            "wx286b93c14bbf93aa",
        ]
    ),
)

BUTTON_FIELDS = ("name", "type", "kind", *FIELD_NAMES, "bogus")
button_key = st.builds(
    lambda top, sub, name: f"b-{top}-s-{sub}-{name}" if sub is not None else f"b-{top}-{name}",
    st.integers(0, 12),
    st.one_of(st.none(), st.integers(0, 12)),
    st.sampled_from(BUTTON_FIELDS),
)
form_key = st.one_of(
    button_key,
    button_key,
    st.sampled_from(
        ["title", "revision", "open", "selected", "op", "as_new", "reviewed_revision", "confirm_drift"]
    ),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12),
)
op_value = st.one_of(
    st.sampled_from(["add", "add-sub:0", "remove:1.2", "up:1", "down:0.3", "move:0.2>1.0", "move:2>0"]),
    st.sampled_from(["to-parent:1", "to-leaf:1", "type:0", "remove:0", "add-sub:9", "move:0>0.0", "up:-1"]),
    st.builds(
        lambda a, b: f"{a}:{b}",
        st.sampled_from(["add-sub", "remove", "up", "down", "move", "type"]),
        short_text,
    ),
    short_text,
)
type_value = st.one_of(
    st.sampled_from(
        ["click", "view", "miniprogram", "media_id", "article_id", "scancode_push", "", "text", "news"]
    ),
    short_text,
)


@st.composite
def form_posts(draw, *, revision: int | None = None) -> dict[str, object]:
    """A random editor post: mostly well-shaped field names with hostile values, sometimes junk."""
    data: dict[str, object] = {}
    for key in draw(st.lists(form_key, max_size=25)):
        if key.endswith("-type"):
            value = draw(type_value)
        elif key.endswith("-kind"):
            value = draw(st.one_of(st.sampled_from(["leaf", "parent"]), short_text))
        elif key == "op":
            value = draw(op_value)
        else:
            value = draw(hostile_text)
        data[key] = value if draw(st.booleans()) else [value, draw(hostile_text)]
    if draw(st.booleans()):
        data.setdefault("title", draw(hostile_text))
    if revision is not None and draw(st.booleans()):
        data["revision"] = str(revision)  # often the right revision, so saves get past that check
    return data


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
any_json = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(text, inner, max_size=6)),
    max_leaves=30,
)
button_json = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.one_of(hostile_text, json_scalars),
            "type": st.one_of(type_value, json_scalars),
            **{f: st.one_of(hostile_text, json_scalars) for f in FIELD_NAMES},
        },
    ),
    lambda inner: st.fixed_dictionaries(
        {
            "sub_button": st.one_of(
                st.lists(inner, max_size=7), st.fixed_dictionaries({"list": st.lists(inner)})
            )
        },
        optional={"name": hostile_text, "type": type_value},
    ),
    max_leaves=12,
)
menu_json = st.one_of(
    st.fixed_dictionaries({"button": st.lists(button_json, max_size=6)}),
    st.fixed_dictionaries({"menu": st.fixed_dictionaries({"button": st.lists(button_json, max_size=4)})}),
    st.fixed_dictionaries({"button": any_json}),
    any_json,
)


def as_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# Bytes a file may hold: JSON of any kind, broken JSON, other encodings, deep nesting, empty.
file_bytes = st.one_of(
    menu_json.map(lambda v: as_text(v).encode("utf-8")),
    menu_json.map(lambda v: as_text(v).encode("utf-16")),
    menu_json.map(lambda v: b"\xef\xbb\xbf" + as_text(v).encode("utf-8")),
    st.binary(max_size=200),
    st.integers(1, 200_000).map(lambda n: b"[" * n),
    st.integers(1, 5_000).map(lambda n: b'{"button": [' + b'{"sub_button": [' * n),
    st.just(b""),
    st.just(b'{"button": [{"name": "\\ud800", "type": "click", "key": "k"}]}'),
    st.just(b'{"button": [{"name": "x", "type": "click", "key": 1e999}]}'),
)

"""The digest posts the tests read, and what each must yield.

`fixture` is ours (tests/fixtures/posts/, every defect of the real posts, see its README) and
always runs; `seed` is the two real posts in ../shared/seeds, an extra check generated only when
that folder exists (conftest.pytest_generate_tests), so a fresh clone skips nothing. Expectations
are exact per post: a test that passes on one and not the other has found something."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "posts"
SEEDS = ROOT.parent / "shared" / "seeds"
CS_EMOJI = '"CS" = "\U0001F468\u200d\U0001F4BB"'
"""The category table line for CS once the lost zero-width joiner is repaired."""


@dataclass(frozen=True)
class Posts:
    name: str
    digest: Path
    topic: Path
    expect: dict[str, Any]

    @property
    def both(self) -> list[Path]:
        return [self.digest, self.topic]


EXPECT: dict[str, dict[str, Any]] = {
    "fixture": {
        "categories": {"Shell": 4, "Libraries": 6, "Math": 4, "CS": 2},
        "topic": "NumPy",
        "topic_dates": ["2022.03.01", "2022.03.04", "2022.03.09", "2022.03.20"],
        "footnotes": {"2022-09-03Math": ["12", "13"], "2022-04-11CS": ["2", "3", "4"]},
        "malformed_line": 172,
        "fixed_lines": [39, 47, 61, 80, 112, 172, 173],
        "findings": {"category-inconsistent": [39, 47, 61, 80, 112, 112], "math-error": [143],
                     "image-missing": [150], "footnote-malformed": [172, 173],
                     "footnote-unused": [172, 173, 174, 175, 179]},
        "newest": ("2022-10-20", "Libraries", "🧩"),
        "ohm_day": "2022/09/03",
        "missing_image": "22-09-03-1.png",
        "search": {
            "short": [("모듈", {}, ["2022-08-19"]), ("배열", {}, ["2022-03-01", "2022-03-09"])],
            "long": [("브로드캐스팅", {}, ["2022-03-04"]), ("캐스팅", {}, ["2022-03-04"])],
            "english": [("IMMUTABLE", {}, ["2022-04-11"]), ("immutable로", {}, ["2022-04-11"]),
                        ('"sparse matrix"', {}, ["2022-07-05"]), ('"matrix sparse"', {}, [])],
            "filters": [("배열 einsum", {}, ["2022-03-01"]),
                        ("배열", {"category": "libraries"}, ["2022-03-01", "2022-03-09"]),
                        ("배열", {"category": "Shell"}, []),
                        ("배열", {"tag": "numpy"}, ["2022-03-01", "2022-03-09"])],
            "code": [("reshpae", {}, ["2022-03-20"])],
            "cli": ("모듈", "2022-08-19", "Shell"),
            "datasette": [("모듈", ["2022-08-19"]), ("immutable", ["2022-04-11"]),
                          ("배열", ["2022-03-01", "2022-03-09"])],
        },
        "typo": "reshpae",
    },
    "seed": {
        "categories": {"Python": 4, "ML library": 6, "ML & DL": 4, "CS": 2},
        "topic": "TensorFlow",
        "topic_dates": ["2021.04.25", "2021.04.27", "2021.05.02", "2021.05.11"],
        "footnotes": {"2021-11-13ML & DL": ["12", "13"], "2021-05-24CS": ["2", "3", "4"]},
        "malformed_line": 210,
        "fixed_lines": [45, 53, 67, 87, 131, 210, 211],
        "findings": {"category-inconsistent": [45, 53, 67, 87, 131, 131], "math-error": [168],
                     "image-missing": [177], "footnote-malformed": [210, 211],
                     "footnote-unused": [210, 211, 212, 213, 217]},
        "newest": ("2021-12-08", "ML library", "🧩"),
        "ohm_day": "2021/11/13",
        "missing_image": "21-11-14-2.png",
        "search": {
            "short": [("모듈", {}, ["2021-09-30"]), ("텐서", {}, ["2021-04-25", "2021-05-11", "2021-09-20"])],
            "long": [("텐서플로우", {}, ["2021-04-25"]), ("플로우", {}, ["2021-04-25"])],
            "english": [("IMMUTABLE", {}, ["2021-05-24"]), ("immutable로", {}, ["2021-05-24"]),
                        ('"batch normalization"', {}, ["2021-05-11"]), ('"normalization batch"', {}, [])],
            "filters": [("텐서 squeeze", {}, ["2021-09-20"]),
                        ("텐서", {"category": "ml library"}, ["2021-04-25", "2021-05-11", "2021-09-20"]),
                        ("텐서", {"category": "Python"}, []),
                        ("텐서", {"tag": "tensorflow"}, ["2021-04-25", "2021-05-11"])],
            "code": [("is_traning", {}, ["2021-05-11"])],
            "cli": ("모듈", "2021-09-30", "Python"),
            "datasette": [("모듈", ["2021-09-30"]), ("immutable", ["2021-05-24"]),
                          ("텐서", ["2021-04-25", "2021-05-11", "2021-09-20"])],
        },
        "typo": "is_traning",
    },
}


def available() -> list[str]:
    """The posts to run on: ours always, the real seeds only where they are."""
    return ["fixture"] + (["seed"] if SEEDS.is_dir() else [])


def load(name: str) -> Posts:
    folder = FIXTURES if name == "fixture" else SEEDS
    return Posts(name, next(folder.glob("000_*.txt")), next(folder.glob("002_*.txt")), EXPECT[name])

"""Index terms: the fast regex form must equal the plain definition (runs, CJK runs → bigrams)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tilbook.tokens import bigrams, is_cjk, runs, terms


def reference_terms(text: str) -> set[str]:
    found: set[str] = set()
    for run in runs(text):
        found.update(bigrams(run) if is_cjk(run) else [run])
    return found


def test_terms_of_mixed_text() -> None:
    assert terms("텐서플로우의 tf.function은 Graph를 만든다, 가 don't") == {
        "텐서", "서플", "플로", "로우", "우의", "tf", "function", "은", "graph", "를", "만든", "든다", "가", "don't"}


@given(st.text(alphabet=st.sampled_from("가나다라 텐서ab'’_1.-\tÅ한국語"), max_size=40))
@settings(max_examples=300, deadline=None)
def test_fast_terms_equal_the_definition(text: str) -> None:
    assert terms(text) == reference_terms(text)

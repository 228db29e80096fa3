"""A generated notebook for search tests: notes of Korean and English sentences from a small
vocabulary, so every word is in many notes (the worst case for postings) and nouns with particles
make words whose bigrams are common apart but rarer side by side (the worst case for the text
check)."""
from __future__ import annotations

import random

from tilbook.site.search_index import SearchRecord

NOUNS = ["배열", "행렬", "함수", "변수", "객체", "클래스", "문자열", "리스트", "예외", "모듈",
         "텐서", "그래프", "스레드", "프로세스", "커널", "메모리", "캐시", "인덱스", "버퍼", "소켓"]
PARTICLES = ["은", "는", "이", "가", "을", "를", "에서", "와", "의", "에"]
ENDINGS = ["정리했습니다", "동작합니다", "확인했습니다", "배웠습니다", "바뀌었습니다", "사용합니다",
           "주의해야 합니다", "다르게 동작합니다", "알아 두면 좋습니다", "처음 알았습니다"]
ENGLISH = ["tensor", "socket", "iterator", "closure", "decorator", "generator", "buffer", "thread",
           "kernel", "schema", "parser", "commit", "branch", "matrix", "vector", "pipeline"]


def note(number: int) -> SearchRecord:
    """Note `number` of the generated notebook (about 1.3 KB of Korean and English text, five a day)."""
    pick = random.Random(number)
    sentences = []
    while sum(map(len, sentences)) < 500:
        if pick.random() < 0.75:
            phrase = [pick.choice(NOUNS) + pick.choice(PARTICLES) for _ in range(pick.randint(2, 5))]
            if pick.random() < 0.4:
                phrase.insert(pick.randrange(len(phrase)), pick.choice(ENGLISH))
            sentences.append(" ".join(phrase) + " " + pick.choice(ENDINGS) + ".")
        else:
            sentences.append("The " + " and ".join(pick.sample(ENGLISH, 3)) + " work together.")
    day = f"20{10 + number // 1825:02d}-{number // 150 % 12 + 1:02d}-{number // 5 % 28 + 1:02d}"
    url = f"{day.replace('-', '/')}/note-{number}/"
    return SearchRecord(id=url, url=url, title=f"{pick.choice(NOUNS)} {pick.choice(ENGLISH)} {number}", date=day,
                        category=pick.choice(["Python", "ML", "CS"]), tags=(pick.choice(ENGLISH),), text=" ".join(sentences))

"""Text for PostgreSQL full-text search in English and Chinese, without a
server extension (plain Python, no Odoo).

PostgreSQL's parser takes a run of Chinese characters, which has no spaces,
for one word: "退货很慢" would only match "退货很慢". Each run becomes its
overlapping character bigrams instead ("退货 货很 很慢"), the usual way to
index Chinese without a dictionary: a query's bigrams then match wherever
its words appear. Other text passes unchanged, for the 'english' text
search configuration to stem."""

import re

# CJK unified ideographs (and extension A), compatibility ideographs, and
# Japanese kana, which have no spaces between words either.
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Characters the query syntax of websearch_to_tsquery gives a meaning to.
QUERY_SYNTAX = re.compile(r"[\"\-]")


def bigrams(run):
    """The overlapping character pairs of `run`; a lone character itself."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def to_search_text(text):
    """`text` with each run of Chinese (or Japanese) characters replaced by
    its bigrams, separated by spaces."""
    if not text:
        return ""
    return CJK_RUN.sub(lambda match: f" {' '.join(bigrams(match.group()))} ", text)


def to_any_words_query(text):
    """A websearch_to_tsquery text matching any word (or bigram) of `text`:
    its words joined by "or", the query syntax's quotes and minus signs
    dropped. Empty when `text` has no word."""
    words = QUERY_SYNTAX.sub(" ", to_search_text(text)).split()
    words = [word for word in words if word.lower() != "or"]
    return " or ".join(words)

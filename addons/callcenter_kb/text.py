"""Text handling of the knowledge base, free of Tryton.

PostgreSQL's parsers do not segment Chinese: a run of hanzi without spaces
is one token, so 退货 would never find 退货政策. The index therefore keeps
two vectors per article:

* a Latin one, built by PostgreSQL with the ``english`` configuration from
  the text with the CJK runs blanked out (stemming, stop words);
* a CJK one, built here as a ``tsvector`` literal of the overlapping
  bigrams of every CJK run, with positions, so that a query becomes a phrase
  of bigrams (退货政 → 退货 <-> 货政) matched with the GIN index.

Both are weighted: A title and code, B keywords, C body, D attachments.
"""
import html
import re
from html.parser import HTMLParser

CJK = (
    '\u3040-\u30ff'     # kana
    '\u3400-\u4dbf'     # CJK extension A
    '\u4e00-\u9fff'     # CJK unified ideographs
    '\uac00-\ud7af'     # hangul
    '\uf900-\ufaff')    # compatibility ideographs
CJK_RUN = re.compile(f'[{CJK}]+')
CJK_CHAR = re.compile(f'[{CJK}]')
WEIGHTS = 'ABCD'
MAX_POSITION = 16383
SNIPPET_WIDTH = 60
CODE_QUERY = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._/-]{2,}$')
LATIN_WORD = re.compile(r'\w+')


class _TextExtractor(HTMLParser):
    BLOCKS = {'p', 'div', 'br', 'li', 'tr', 'td', 'th', 'h1', 'h2', 'h3',
        'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'pre'}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append('\n')

    def handle_endtag(self, tag):
        self.handle_starttag(tag, [])

    def handle_data(self, data):
        self.parts.append(data)


def strip_html(value):
    "The plain text of the rich-text ``value``."
    if not value:
        return ''
    if '<' not in value:
        return html.unescape(value)
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    text = ''.join(parser.parts)
    return re.sub(r'[ \t\r\f\v]*\n\s*', '\n', text).strip()


def latin(text):
    "``text`` with its CJK characters replaced by spaces, offsets kept."
    return CJK_CHAR.sub(' ', text or '')


def cjk_runs(text):
    return CJK_RUN.findall(text or '')


def bigrams(run):
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def cjk_vector(*documents):
    """The ``tsvector`` literal of the CJK bigrams of the documents.

    The documents are weighted A, B, C, D in that order; runs are separated
    by a gap of positions so that a phrase never spans two runs.
    """
    positions = {}
    position = 1
    for document, weight in zip(documents, WEIGHTS):
        for run in cjk_runs(document):
            for gram in bigrams(run):
                positions.setdefault(gram, []).append(
                    f'{min(position, MAX_POSITION)}{weight}')
                position += 1
            position += 2
    return ' '.join(
        f"'{gram}':{','.join(p[:256])}" for gram, p in positions.items())


def split_query(query):
    "The Latin part and the CJK runs of a query."
    query = (query or '').strip()
    return ' '.join(latin(query).split()), cjk_runs(query)


def cjk_query(runs, any_=False):
    """The ``tsquery`` literal of CJK runs: each run a phrase of bigrams,
    a single character a prefix; all runs required unless ``any_``."""
    phrases = []
    for run in runs:
        if len(run) == 1:
            phrases.append(f"'{run}':*")
        else:
            phrases.append(
                '(' + ' <-> '.join(f"'{g}'" for g in bigrams(run)) + ')')
    return (' | ' if any_ else ' & ').join(phrases)


def latin_any(text):
    "A websearch query matching any of the words of ``text``."
    return ' or '.join(LATIN_WORD.findall(text))


def is_code_query(query):
    return bool(CODE_QUERY.match((query or '').strip()))


def _stem_match(word, lexemes):
    word = word.lower()
    for lexeme in lexemes:
        size = max(3, len(lexeme) - 1)
        if len(word) >= size and word[:size] == lexeme[:size]:
            return True
    return False


def match_spans(text, lexemes, runs):
    "Sorted, merged (start, end) spans of ``text`` that match the query."
    spans = []
    lowered = text.lower()
    for run in runs:
        start = lowered.find(run)
        while start >= 0:
            spans.append((start, start + len(run)))
            start = lowered.find(run, start + len(run))
    for match in LATIN_WORD.finditer(latin(text)):
        if _stem_match(match.group(), lexemes):
            spans.append(match.span())
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text, lexemes, runs, width=SNIPPET_WIDTH):
    """An HTML excerpt of ``text`` around the first match, the matches in
    ``<b>``; the start of the text when nothing matches."""
    text = ' '.join((text or '').split())
    spans = match_spans(text, lexemes, runs)
    start = max(spans[0][0] - width // 3, 0) if spans else 0
    end = min(start + width * 2, len(text))
    parts = ['…' if start else '']
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(html.escape(text[cursor:s]))
        parts.append(f'<b>{html.escape(text[s:e])}</b>')
        cursor = e
    parts.append(html.escape(text[cursor:end]))
    parts.append('…' if end < len(text) else '')
    return ''.join(parts)

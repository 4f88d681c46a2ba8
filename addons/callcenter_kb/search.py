"""Ranked search of the knowledge base (KB-03).

On PostgreSQL an article carries two weighted vectors (see :mod:`.text`),
each with a GIN index created in ``__register__``, and the code has a
trigram index. Elsewhere the search degrades to ``ilike``.
"""
import html
import logging

from sql import Cast, Literal, Null
from sql.conditionals import Case, Coalesce
from sql.functions import Function
from sql.operators import BinaryOperator, Concat, Not

from trytond import backend
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.rpc import RPC
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

from . import text

logger = logging.getLogger(__name__)
CONFIG = 'english'
SEARCH_FIELDS = {'title', 'code', 'keywords', 'body'}
TIERS = [('a', 4, 'title'), ('b', 3, 'keywords'), ('c', 2, 'body'),
    ('d', 1, 'attachment')]
MATCHED = {5: 'code', **{t: m for _, t, m in TIERS}}


INDEXES = [
    'CREATE INDEX IF NOT EXISTS callcenter_kb_article_vector_gin '
    'ON callcenter_kb_article USING gin (search_vector)',
    'CREATE INDEX IF NOT EXISTS callcenter_kb_article_cjk_gin '
    'ON callcenter_kb_article USING gin (search_cjk)',
    'CREATE INDEX IF NOT EXISTS callcenter_kb_article_head_gin '
    'ON callcenter_kb_article USING gin (search_head)',
    # The few pinned or recommended articles are searched first.
    'CREATE INDEX IF NOT EXISTS callcenter_kb_article_vector_featured_gin '
    'ON callcenter_kb_article USING gin (search_vector) '
    'WHERE pinned OR recommended',
    'CREATE INDEX IF NOT EXISTS callcenter_kb_article_cjk_featured_gin '
    'ON callcenter_kb_article USING gin (search_cjk) '
    'WHERE pinned OR recommended',
    ]
# Articles matching only in the body or attachments ranked per query.
REST_CANDIDATES = 250


class Match(BinaryOperator):
    __slots__ = ()
    _operator = '@@'


class ToTsvector(Function):
    __slots__ = ()
    _function = 'to_tsvector'


class Setweight(Function):
    __slots__ = ()
    _function = 'setweight'


class WebsearchToTsquery(Function):
    __slots__ = ()
    _function = 'websearch_to_tsquery'


class TsRank(Function):
    __slots__ = ()
    _function = 'ts_rank'


class TsFilter(Function):
    __slots__ = ()
    _function = 'ts_filter'


def vector_values(a, b, c, d, cjk, cjk_head):
    """SQL values of ``search_vector``, ``search_cjk`` and ``search_head``
    from the Latin texts weighted A to D and the CJK vector literals of all
    texts and of the title and keywords only."""
    parts = [Setweight(ToTsvector(CONFIG, doc), weight)
        for doc, weight in zip([a, b, c, d], text.WEIGHTS)]
    vector = parts[0]
    for part in parts[1:]:
        vector = Concat(vector, part)
    head = Concat(Concat(parts[0], parts[1]), Cast(cjk_head, 'tsvector'))
    return [vector, Cast(cjk, 'tsvector'), head]


def _quote_lexeme(lexeme):
    return "'" + lexeme.replace('\\', '\\\\').replace("'", "''") + "'"


def _weights(letters):
    return Cast(Literal('{%s}' % ','.join(letters)), '"char"[]')


def _and(conditions):
    conditions = list(conditions)
    result = conditions[0]
    for condition in conditions[1:]:
        result &= condition
    return result


def _sum(values):
    values = list(values)
    result = values[0]
    for value in values[1:]:
        result += value
    return result


def _tier(terms):
    "The best field where any word of the query occurs, 4 to 1."
    whens = []
    for letter, tier, _ in TIERS:
        whens.append((_or_any(letter, terms), tier))
    return Case(*whens, else_=0)


def _or_any(letter, terms):
    result = None
    for vector, _, q_any in terms:
        hit = Match(TsFilter(vector, _weights(letter)), q_any)
        result = hit if result is None else result | hit
    return result


def _escape_like(value):
    return (value.replace('\\', '\\\\').replace('%', '\\%')
        .replace('_', '\\_'))


class ArticleSearchMixin:
    "Indexing and ranked search of the articles."
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__['search_articles'] = RPC()

    @classmethod
    def _is_postgresql(cls):
        return backend.name == 'postgresql'

    @classmethod
    def _register_search_indexes(cls):
        "Create the GIN indexes trytond cannot declare."
        if not cls._is_postgresql():
            return
        cursor = Transaction().connection.cursor()
        cursor.execute(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if not cursor.fetchone():
            cursor.execute('SAVEPOINT kb_trgm')
            try:
                cursor.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
            except Exception:
                cursor.execute('ROLLBACK TO SAVEPOINT kb_trgm')
                logger.warning(
                    "pg_trgm is missing: article codes are not indexed")
            else:
                cursor.execute('RELEASE SAVEPOINT kb_trgm')
        for statement in INDEXES:
            cursor.execute(statement)
        cursor.execute(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            cursor.execute(
                'CREATE INDEX IF NOT EXISTS callcenter_kb_article_code_trgm '
                'ON callcenter_kb_article USING gin (code gin_trgm_ops)')

    @classmethod
    def _clear_transaction_cache(cls, records=None):
        "Forget the records read before an update in SQL."
        for cache in Transaction().cache.values():
            if cls.__name__ in cache:
                if records is None:
                    cache[cls.__name__].clear()
                else:
                    for record in records:
                        cache[cls.__name__].pop(int(record), None)

    @classmethod
    def _search_fields(cls):
        return SEARCH_FIELDS

    def get_search_documents(self):
        "The four texts of the article, weighted A to D."
        return [
            ' '.join(filter(None, [self.title, self.code])),
            (self.keywords or '').replace(',', ' '),
            self.body_text,
            '\n'.join(t.text or '' for t in self.attachment_texts),
            ]

    @classmethod
    def index_articles(cls, articles):
        "Store the search vectors of the articles."
        if not articles or not cls._is_postgresql():
            return
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for article in cls.browse(articles):
            documents = article.get_search_documents()
            latin = [text.latin(d) for d in documents]
            values = vector_values(*latin, text.cjk_vector(*documents),
                text.cjk_vector(*documents[:2]))
            cursor.execute(*table.update(
                    [table.search_vector, table.search_cjk,
                        table.search_head],
                    values, where=table.id == article.id))
        cls._clear_transaction_cache(articles)

    @classmethod
    def search_articles(cls, query, limit=20):
        """Published, current articles matching ``query``, best first.

        Returns a list of dictionaries with the id, title, code, an HTML
        snippet with the matches in bold, the field that matched best and
        the relevance.
        """
        query = (query or '').strip()
        if not query:
            return []
        if cls._is_postgresql():
            rows, lexemes = cls._search_postgresql(query, limit)
        else:
            rows, lexemes = cls._search_ilike(query, limit), []
        _, runs = text.split_query(query)
        return [cls._search_result(row, lexemes, runs)
            for row in cls._readable(rows)]

    @classmethod
    def _readable(cls, rows):
        "The rows of the articles the user may read, in the same order."
        ids = [r[0] for r in rows]
        cursor = Transaction().connection.cursor()
        cursor.execute(*cls.search([('id', 'in', ids)], order=[], query=True))
        allowed = {i for i, in cursor}
        rows = [r for r in rows if r[0] in allowed]
        with Transaction().set_context(_kb_search=True):
            values = {v['id']: v for v in cls.read([r[0] for r in rows], [
                        'title', 'code', 'body', 'pinned', 'recommended'])}
        return [(values[r[0]], r[1], r[2]) for r in rows]

    @classmethod
    def _search_result(cls, row, lexemes, runs):
        AttachmentText = Pool().get('callcenter.kb.article.attachment_text')
        values, tier, rank = row
        document = text.strip_html(values['body'])
        if tier == 1:
            document = '\n'.join(t.text or '' for t in AttachmentText.search(
                        [('article', '=', values['id'])]))
        return {
            'id': values['id'],
            'title': values['title'],
            'code': values['code'],
            'snippet': text.snippet(document, lexemes, runs),
            'matched': MATCHED.get(tier, 'body'),
            'pinned': bool(values['pinned']),
            'recommended': bool(values['recommended']),
            'rank': float(rank or 0),
            }

    @classmethod
    def _visible_where(cls, table):
        "Published and current today."
        today = Pool().get('ir.date').today()
        return ((table.state == 'published')
            & ((table.publish_date == Null) | (table.publish_date <= today))
            & ((table.expiry_date == Null) | (table.expiry_date > today)))

    @classmethod
    def _query_lexemes(cls, latin_query):
        if not latin_query:
            return []
        cursor = Transaction().connection.cursor()
        cursor.execute(
            'SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))',
            (CONFIG, latin_query))
        return list(cursor.fetchone()[0] or [])

    @classmethod
    def search_queries(cls, query, limit=20):
        """The SQL queries of the ranked search, best first, and the Latin
        lexemes of the query.

        Each query gives rows (id, tier, rank): tier 5 is a code match, 4 to
        1 the best field where a query word occurs (title, keywords, body,
        attachments). The branches are run in order until ``limit`` rows:
        codes, pinned or recommended articles, articles with every word in
        their title or keywords, then the others, ranked among the first
        ``REST_CANDIDATES`` found so that frequent words stay fast.
        """
        table = cls.__table__()
        latin_query, runs = text.split_query(query)
        lexemes = cls._query_lexemes(latin_query)
        queries = []
        if lexemes:
            queries.append(('search_vector',
                    WebsearchToTsquery(CONFIG, latin_query),
                    Cast(' | '.join(map(_quote_lexeme, lexemes)), 'tsquery')))
        if runs:
            queries.append(('search_cjk',
                    Cast(text.cjk_query(runs), 'tsquery'),
                    Cast(text.cjk_query(runs, any_=True), 'tsquery')))

        def terms_of(source):
            return [(getattr(source, name), q_all, q_any)
                for name, q_all, q_any in queries]
        terms = terms_of(table)
        branches = []
        visible = cls._visible_where(table)
        if text.is_code_query(query):
            branches.append(('code', table.select(
                        table.id, Literal(5), Literal(0.0),
                        where=table.code.ilike(_escape_like(query) + '%')
                        & visible,
                        order_by=[table.id.desc], limit=limit)))
        if not terms:
            return branches, lexemes
        match = _and(Match(v, q) for v, q, _ in terms)
        head = _and(Match(table.search_head, q) for _, q, _ in terms)
        rank = _sum(TsRank(v, q) for v, q, _ in terms)
        featured = table.pinned | table.recommended
        plain = ~(Coalesce(table.pinned, False)
            | Coalesce(table.recommended, False))
        tier = _tier(terms)
        order = [tier.desc, rank.desc, table.hot_score.desc.nulls_last,
            table.id.desc]
        branches.append(('featured', table.select(
                    table.id, tier, rank,
                    where=featured & match & visible,
                    order_by=[table.pinned.desc.nulls_last,
                        table.recommended.desc.nulls_last] + order,
                    limit=limit)))
        head_tier = Case(
            (_and(Match(TsFilter(table.search_head, _weights('a')), q)
                    for _, q, _ in terms), 4), else_=3)
        head_rank = _sum(TsRank(table.search_head, q) for _, q, _ in terms)
        branches.append(('head', table.select(
                    table.id, head_tier, head_rank,
                    where=plain & head & visible,
                    order_by=[head_tier.desc, head_rank.desc,
                        table.hot_score.desc.nulls_last, table.id.desc],
                    limit=limit)))
        candidates = table.select(
            table.id, table.search_vector, table.search_cjk,
            table.hot_score,
            where=plain & match & Not(head) & visible, limit=REST_CANDIDATES)
        c_terms = terms_of(candidates)
        c_tier = Case(
            (_or_any('abc', c_terms), 2), else_=1)
        c_rank = _sum(TsRank(v, q) for v, q, _ in c_terms)
        branches.append(('rest', candidates.select(
                    candidates.id, c_tier, c_rank,
                    order_by=[c_tier.desc, c_rank.desc,
                        candidates.hot_score.desc.nulls_last,
                        candidates.id.desc],
                    limit=limit)))
        return branches, lexemes

    @classmethod
    def _search_postgresql(cls, query, limit):
        branches, lexemes = cls.search_queries(query, limit)
        cursor = Transaction().connection.cursor()
        rows, seen = [], set()
        for _, sql in branches:
            cursor.execute(*sql)
            for row in cursor:
                if row[0] not in seen:
                    seen.add(row[0])
                    rows.append(row)
            if len(rows) >= limit:
                break
        return rows[:limit], lexemes

    @classmethod
    def _search_ilike(cls, query, limit):
        "Fallback without full-text support: every word somewhere."
        latin_query, runs = text.split_query(query)
        domain = [('state', '=', 'published')]
        for word in latin_query.split() + runs:
            like = f'%{word}%'
            domain.append(['OR', ('title', 'ilike', like),
                    ('code', 'ilike', like), ('keywords', 'ilike', like),
                    ('body', 'ilike', like),
                    ('attachment_texts.text', 'ilike', like)])
        today = Pool().get('ir.date').today()
        domain += [
            ['OR', ('publish_date', '=', None),
                ('publish_date', '<=', today)],
            ['OR', ('expiry_date', '=', None), ('expiry_date', '>', today)]]
        articles = cls.search(domain, limit=limit, order=[
                ('pinned', 'DESC NULLS LAST'),
                ('recommended', 'DESC NULLS LAST'), ('id', 'DESC')])
        return [(a.id, 0, 0.0) for a in articles]


class SearchStart(ModelView):
    "Query and ranked results of a knowledge base search."
    __name__ = 'callcenter.kb.search.start'
    __string__ = "Search Knowledge Base"
    query = fields.Char(
        "Search", help="Words, a phrase in Chinese or an article code.")
    results = fields.Many2Many(
        'callcenter.kb.article', None, None, "Results", readonly=True)
    summary = fields.Text("Summary", readonly=True)

    @fields.depends('query', 'results')
    def on_change_query(self):
        Article = Pool().get('callcenter.kb.article')
        found = Article.search_articles(self.query or '')
        self.results = [r['id'] for r in found]
        self.summary = render_summary(found)


def render_summary(results):
    "The ranked results as rich text with the matches in bold."
    items = []
    for result in results:
        title = html.escape(result['title'])
        code = html.escape(f" [{result['code']}]" if result['code'] else '')
        items.append(f"<p><u>{title}</u>{code}<br/>{result['snippet']}</p>")
    return '\n'.join(items)


class Search(Wizard):
    "Search the knowledge base and open the articles found."
    __name__ = 'callcenter.kb.search'
    start = StateView(
        'callcenter.kb.search.start',
        'callcenter_kb.search_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Open", 'open_', 'tryton-launch', default=True),
            ])
    open_ = StateAction('callcenter_kb.act_article_reader')

    def do_open_(self, action):
        ids = [a.id for a in self.start.results]
        action['name'] += f' ({self.start.query})'
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', 'in', ids or [-1])])
        return action, {}

    def transition_open_(self):
        return 'end'

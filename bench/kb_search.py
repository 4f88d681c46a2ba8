"""Benchmark of the knowledge base search (issue 5, KB-03).

    .venv/bin/python bench/kb_search.py [--scale N] [--queries N]

Creates a fresh database ``kb_bench`` with ``callcenter_kb`` activated on
the embedded PostgreSQL of ``var/bench`` (or on CALLCENTER_DB_URI), loads N
generated articles (default 100,000; half Chinese, half English, some
mixed) with COPY, then runs the same queries through
``callcenter.kb.article.search_articles`` and through a plain ``ilike``
search over the same fields, and prints the p95 of both, the EXPLAIN plans
of the indexed search and, as the last line, one JSON object.
"""
import argparse
import datetime as dt
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, tryton  # noqa: E402
from callcenter.benchmark import bench_server  # noqa: E402

DB_NAME = 'kb_bench'
SEED = 20240605
HANZI = (
    '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会'
    '可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部'
    '度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应'
    '开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正'
    '心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情'
    '者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长'
    '求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放'
    '决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器'
    '压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白'
    '教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信'
    '马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算'
    '低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支'
    '般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效'
    '斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参'
    '红细引听该铁价严首底液官德随病苏失尔死讲配女黄推显谈罪神艺呢席含企望密'
    '退货款票据订单客服务维修保换寄送快递账户密码登录充值套餐流量话费积分会员')
DOMAIN_WORDS = [
    'refund', 'invoice', 'shipping', 'warranty', 'delivery', 'password',
    'account', 'payment', 'subscription', 'roaming', 'upgrade', 'router',
    'battery', 'contract', 'discount', 'voucher', 'complaint', 'billing',
    'activation', 'installation', 'cancellation', 'exchange', 'repair',
    'balance', 'coverage', 'signal', 'tariff', 'promotion', 'membership',
    'order', 'return', 'parcel', 'customer', 'policy', 'device', 'network',
    ]
ENDINGS = ['', 's', 'ed', 'ing']


class Corpus:
    "Deterministic words with a Zipf-like frequency."

    def __init__(self, rng, english=3000, chinese=3000):
        self.rng = rng
        syllables = [c + v for c in 'bcdfghjklmnprstvwz' for v in 'aeiou']
        words = list(DOMAIN_WORDS)
        while len(words) < english:
            word = ''.join(rng.choice(syllables)
                for _ in range(rng.randint(2, 4)))
            if word not in words:
                words.append(word)
        self.english = words
        seen, hanzi = set(DOMAIN_WORDS), []
        while len(hanzi) < chinese:
            word = ''.join(rng.choice(HANZI) for _ in range(rng.choice(
                        [2, 2, 2, 3, 4])))
            if word not in seen:
                seen.add(word)
                hanzi.append(word)
        self.chinese = hanzi
        self.weights_en = [1 / (i + 10) for i in range(len(self.english))]
        self.weights_zh = [1 / (i + 10) for i in range(len(self.chinese))]

    def en(self, k):
        return self.rng.choices(self.english, self.weights_en, k=k)

    def zh(self, k):
        return self.rng.choices(self.chinese, self.weights_zh, k=k)


def generate(corpus, count):
    "Rows of the article table and the texts to vectorise."
    rng = corpus.rng
    today = dt.date.today()
    for i in range(1, count + 1):
        kind = rng.random()
        if kind < 0.45:
            title = ''.join(corpus.zh(rng.randint(2, 4)))
            keywords = ', '.join(corpus.zh(3))
            body = ''.join(f'<p>{"".join(corpus.zh(rng.randint(15, 30)))}。</p>'
                for _ in range(rng.randint(2, 4)))
        elif kind < 0.9:
            title = ' '.join(w + rng.choice(ENDINGS) for w in corpus.en(
                    rng.randint(3, 6))).capitalize()
            keywords = ', '.join(corpus.en(3))
            body = ''.join(
                f'<p>{" ".join(w + rng.choice(ENDINGS) for w in corpus.en(rng.randint(20, 40)))}.</p>'
                for _ in range(rng.randint(2, 4)))
        else:
            title = ' '.join(corpus.en(2)) + ' ' + ''.join(corpus.zh(2))
            keywords = ', '.join(corpus.en(2) + corpus.zh(2))
            body = ''.join(
                f'<p>{"".join(corpus.zh(10))} {" ".join(corpus.en(15))}</p>'
                for _ in range(2))
        state = rng.choices(
            ['published', 'draft', 'expired', 'pending'], [90, 4, 4, 2])[0]
        expiry = None
        if rng.random() < 0.1:
            expiry = today + dt.timedelta(days=rng.randint(-60, 200))
        yield {
            'title': title, 'code': f'KB-{i:06d}', 'keywords': keywords,
            'body': body, 'state': state,
            'publish_date': today - dt.timedelta(days=rng.randint(1, 900)),
            'expiry_date': expiry,
            'pinned': rng.random() < 0.005,
            'recommended': rng.random() < 0.02,
            'new_business': rng.random() < 0.05,
            'hot_score': float(rng.randint(0, 500)),
            }


def copy_value(value):
    if value is None:
        return '\\N'
    if isinstance(value, bool):
        return 't' if value else 'f'
    return (str(value).replace('\\', '\\\\').replace('\t', ' ')
        .replace('\n', ' ').replace('\r', ' '))


def load(conn, rows):
    "COPY the articles and build their vectors the way the module does."
    from trytond.modules.callcenter_kb import text
    columns = ['title', 'code', 'keywords', 'body', 'state', 'publish_date',
        'expiry_date', 'pinned', 'recommended', 'new_business', 'hot_score',
        'boost', 'create_uid', 'create_date', 'search_cjk']
    conn.execute('CREATE TEMP TABLE kb_stage '
        '(code varchar, a text, b text, c text, h text)')
    now = dt.datetime.now()
    started = time.perf_counter()
    article_buffer, stage_buffer = io.StringIO(), io.StringIO()
    count = 0
    for row in rows:
        documents = [f"{row['title']} {row['code']}",
            row['keywords'].replace(',', ' '), text.strip_html(row['body']),
            '']
        values = [row[c] for c in columns[:11]] + [
            1.0, 0, now, text.cjk_vector(*documents)]
        article_buffer.write('\t'.join(map(copy_value, values)) + '\n')
        stage_buffer.write('\t'.join(map(copy_value, [row['code']] + [
                        text.latin(d) for d in documents[:3]]
                    + [text.cjk_vector(*documents[:2])])) + '\n')
        count += 1
    with conn.cursor() as cursor:
        with cursor.copy(
                f'COPY callcenter_kb_article ({", ".join(columns)}) '
                'FROM STDIN') as copy:
            copy.write(article_buffer.getvalue())
        with cursor.copy('COPY kb_stage FROM STDIN') as copy:
            copy.write(stage_buffer.getvalue())
        cursor.execute(*vectors_update())
    conn.commit()
    conn.autocommit = True
    conn.execute('VACUUM ANALYZE callcenter_kb_article')
    conn.autocommit = False
    print(f"loaded {count} articles in {time.perf_counter() - started:.1f} s",
        flush=True)
    return count


def vectors_update():
    "The UPDATE filling the Latin and title vectors the module's way."
    from sql import Table
    from trytond.modules.callcenter_kb.search import vector_values
    article, stage = Table('callcenter_kb_article'), Table('kb_stage')
    vector, _, head = vector_values(
        stage.a, stage.b, stage.c, '', '', stage.h)
    return article.update(
        [article.search_vector, article.search_head], [vector, head],
        from_=[stage], where=stage.code == article.code)


def make_queries(corpus, count, articles):
    rng = random.Random(SEED + 1)
    corpus.rng = rng
    queries = []
    for i in range(count):
        kind = i % 20
        if kind < 8:
            word = corpus.zh(1)[0]
            queries.append(word[:rng.choice([2, len(word)])])
        elif kind < 10:
            queries.append(' '.join(corpus.zh(2)))
        elif kind < 15:
            queries.append(corpus.en(1)[0] + rng.choice(ENDINGS))
        elif kind < 17:
            queries.append(' '.join(corpus.en(2)))
        elif kind < 19:
            queries.append(f'{corpus.en(1)[0]} {corpus.zh(1)[0]}')
        else:
            queries.append(f'KB-{rng.randint(1, articles):06d}')
    return queries


ILIKE = (
    "SELECT a.id FROM callcenter_kb_article AS a "
    "WHERE a.state = 'published' "
    "AND (a.publish_date IS NULL OR a.publish_date <= CURRENT_DATE) "
    "AND (a.expiry_date IS NULL OR a.expiry_date > CURRENT_DATE) AND {} "
    "ORDER BY a.pinned DESC NULLS LAST, a.recommended DESC NULLS LAST, "
    "a.id DESC LIMIT 20")
ILIKE_WORD = (
    "(a.title ILIKE %s OR a.code ILIKE %s OR a.keywords ILIKE %s "
    "OR a.body ILIKE %s OR EXISTS (SELECT 1 FROM "
    "callcenter_kb_article_attachment_text AS t WHERE t.article = a.id "
    "AND t.text ILIKE %s))")


def baseline(cursor, query):
    words = query.split()
    sql = ILIKE.format(' AND '.join([ILIKE_WORD] * len(words)))
    params = [f'%{w}%' for w in words for _ in range(5)]
    cursor.execute(sql, params)
    return cursor.fetchall()


def p95(values):
    return statistics.quantiles(values, n=100)[94]


def run_queries(pool, queries, explain_queries):
    from trytond.transaction import Transaction
    Article = pool.get('callcenter.kb.article')
    cursor = Transaction().connection.cursor()
    for query in queries[:20]:
        Article.search_articles(query)
        baseline(cursor, query)
    indexed, plain, found = [], [], 0
    for query in queries:
        start = time.perf_counter()
        results = Article.search_articles(query)
        indexed.append((time.perf_counter() - start) * 1000)
        found += bool(results)
        start = time.perf_counter()
        baseline(cursor, query)
        plain.append((time.perf_counter() - start) * 1000)
    plans = {}
    for label, query in explain_queries:
        for branch, sql in Article.search_queries(query)[0]:
            sql, params = tuple(sql)
            cursor.execute(
                'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ' + sql, params)
            plans[(label, query, branch)] = [line for line, in cursor]
    return indexed, plain, found, plans


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=int, default=100_000)
    parser.add_argument('--queries', type=int, default=200)
    args = parser.parse_args(argv)

    with bench_server(DB_NAME) as (settings, server_uri):
        return bench(settings, server_uri, args)


def bench(settings, server_uri, args):
    started = time.perf_counter()
    database.drop(server_uri, DB_NAME)
    database.create(server_uri, DB_NAME)
    database.create_extensions(server_uri, DB_NAME)
    config = tryton.write_config(settings, server_uri)
    # Before any module import: trytond picks its backend from the config.
    from trytond.config import config as trytond_config
    trytond_config.update_etc(str(config))
    tryton.admin(config, DB_NAME, '--email', 'admin@example.com',
        '-u', 'callcenter_kb', '--activate-dependencies', password='admin')
    print(f"database ready in {time.perf_counter() - started:.1f} s",
        flush=True)

    corpus = Corpus(random.Random(SEED))
    with database.connect(server_uri, DB_NAME) as conn:
        count = load(conn, generate(corpus, args.scale))
    queries = make_queries(corpus, args.queries, args.scale)
    explain = [('chinese', next(q for q in queries if ' ' not in q
                and not q.isascii())),
        ('english', next(q for q in queries if q.isascii()
                and ' ' not in q and not q.startswith('KB-'))),
        ('mixed', next(q for q in queries if ' ' in q
                and not q.isascii() and q.split()[0].isascii())),
        ('code', next(q for q in queries if q.startswith('KB-')))]
    indexed, plain, found, plans = tryton.call(
        config, DB_NAME, run_queries, queries, explain, user=1)

    for (label, query, branch), lines in plans.items():
        print(f"\nEXPLAIN {label} query {query!r}, branch {branch}:")
        for line in lines:
            print('   ', line)
    result = {
        'bench': 'kb_search',
        'articles': count,
        'queries': len(queries),
        'p95_ms': round(p95(indexed), 2),
        'p50_ms': round(statistics.median(indexed), 2),
        'baseline_p95_ms': round(p95(plain), 2),
        'baseline_p50_ms': round(statistics.median(plain), 2),
        }
    result['speedup'] = round(result['baseline_p95_ms'] / result['p95_ms'], 1)
    print(f"\n{len(queries)} queries, {found} with results")
    print(f"search_articles: p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms (target <= 50 ms)")
    print(f"plain ilike:     p50 {result['baseline_p50_ms']} ms, "
        f"p95 {result['baseline_p95_ms']} ms")
    print(f"speedup at p95: {result['speedup']}x")
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main())

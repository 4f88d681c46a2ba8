"""A knowledge base search box for the forms agents work in (KB-03).

The call panel and the ticket form get a *Search Knowledge Base* field
whose change fills *Articles* through :meth:`search_articles`, so only the
published, current articles the reader may see are listed. Both fields are
computed: the query is not stored, and the client does not count a search
as a change of the record (:mod:`callcenter_base.lookup_field`).
"""
from trytond.model import fields
from trytond.modules.callcenter_base.lookup_field import (
    LookupFieldsMixin, lookup)
from trytond.pool import Pool

LIMIT = 20


class KbLookupMixin(LookupFieldsMixin):
    "The KB search box and its matching articles."
    __slots__ = ()
    kb_query = lookup(fields.Function(fields.Char(
            "Search Knowledge Base",
            help="Words, a phrase in Chinese or an article code; "
            "double-click an article to read it."),
        'get_kb_lookup', setter='set_kb_lookup'))
    kb_articles = lookup(fields.Function(fields.Many2Many(
            'callcenter.kb.article', None, None, "Articles", readonly=True,
            help="The published articles matching the search, best first."),
        'get_kb_lookup'))

    @classmethod
    def get_kb_lookup(cls, records, names):
        return {n: {r.id: [] if n == 'kb_articles' else None
                for r in records} for n in names}

    @classmethod
    def set_kb_lookup(cls, records, name, value):
        "The query is only typed to search: nothing to store."

    @fields.depends('kb_query')
    def on_change_kb_query(self):
        self.kb_articles = self._get_kb_articles(self.kb_query)

    @classmethod
    def _get_kb_articles(cls, query):
        "Ids of the matching articles, none for users who may not read any."
        pool = Pool()
        Article = pool.get('callcenter.kb.article')
        ModelAccess = pool.get('ir.model.access')
        if not ModelAccess.check(
                Article.__name__, 'read', raise_exception=False):
            return []
        return [r['id'] for r in Article.search_articles(
                query or '', limit=LIMIT)]

"""The knowledge base in the call panel: articles and call scripts."""
from trytond.model import fields
from trytond.modules.callcenter_base.lookup_field import lookup
from trytond.pool import Pool, PoolMeta

from .lookup import KbLookupMixin

SCRIPT_LIMIT = 50


class Call(KbLookupMixin, metaclass=PoolMeta):
    __name__ = 'callcenter.call'
    script_query = lookup(fields.Function(fields.Char(
            "Search Scripts",
            help="Words of a script's title or content."),
        'get_kb_lookup', setter='set_kb_lookup'))
    scripts = lookup(fields.Function(fields.Many2Many(
            'callcenter.kb.script', None, None, "Call Scripts",
            readonly=True,
            help="The talk tracks, those of the call's queue or purpose "
            "first."),
        'get_scripts'))

    @classmethod
    def get_scripts(cls, calls, name):
        return {c.id: c._get_scripts() for c in calls}

    @fields.depends('script_query', 'queue', 'purpose')
    def on_change_script_query(self):
        self.scripts = self._get_scripts(self.script_query)

    @fields.depends('queue', 'purpose')
    def _get_scripts(self, query=None):
        "Ids of the active scripts matching ``query``, the call's first."
        Script = Pool().get('callcenter.kb.script')
        domain = []
        if query and query.strip():
            domain.append(('rec_name', 'ilike', f'%{query.strip()}%'))
        scripts = Script.search(domain, limit=SCRIPT_LIMIT)
        topics = self._script_topics()
        scripts.sort(key=lambda s: not any(
                {(c.code or '').lower(), c.name.lower()} & topics
                for c in s.categories))
        return [s.id for s in scripts]

    @fields.depends('queue', 'purpose')
    def _script_topics(self):
        "The lower-case queue name and purpose, matched to category names."
        topics = {self.purpose, self.queue.name if self.queue else None}
        return {t.lower() for t in topics if t}

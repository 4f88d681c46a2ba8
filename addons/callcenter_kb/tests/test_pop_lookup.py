"The knowledge base in the call panel and on the ticket form."
import datetime as dt
import unittest

from trytond.modules.callcenter_cti.tests.tools import (
    create_agent, create_server, inbound_events)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .tools import KbFixturesMixin


class PopLookupTestCase(KbFixturesMixin, unittest.TestCase):
    "Test the KB search box and call scripts of the call panel and ticket"

    @classmethod
    def setUpClass(cls):
        activate_module(
            ['callcenter_kb', 'callcenter_cti', 'callcenter_ticket'])

    def create_returns_articles(self):
        "One live article on returns among hidden ones; returns the live one."
        today = dt.date.today()
        live = self.create_article(
            "退货政策 Return policy", body="<p>七天无理由退货</p>")
        self.create_article("退货 draft", state='draft')
        self.create_article("退货 pending", state='pending')
        self.create_article(
            "退货 past expiry", publish_date=today - dt.timedelta(days=9),
            expiry_date=today)
        self.create_article(
            "退货 future", publish_date=today + dt.timedelta(days=1))
        self.create_article("开具发票 Invoices", body="<p>发票</p>")
        return live

    def lookup(self, record, query):
        record.kb_query = query
        record.on_change_kb_query()
        return list(record.kb_articles)

    @with_transaction()
    def test_call_search_published_current_only(self):
        "The call panel finds only published, current articles"
        Call = Pool().get('callcenter.call')
        live = self.create_returns_articles()
        agent, editor, _ = self.create_users()
        for user in (agent, editor):
            with self.as_user(user):
                self.assertEqual(self.lookup(Call(), "退货"), [live])
                self.assertEqual(self.lookup(Call(), ""), [])

    @with_transaction()
    def test_call_search_needs_read_access(self):
        "A user who may not read articles finds none"
        Call = Pool().get('callcenter.call')
        self.create_returns_articles()
        outsider = self.create_user('outsider')
        with self.as_user(outsider):
            self.assertEqual(self.lookup(Call(), "退货"), [])

    @with_transaction()
    def test_ticket_search(self):
        "The ticket form finds articles the same way"
        Ticket = Pool().get('callcenter.ticket')
        live = self.create_returns_articles()
        agent, _, _ = self.create_users()
        with self.as_user(agent):
            self.assertEqual(self.lookup(Ticket(), "return"), [live])

    @with_transaction()
    def test_query_not_stored(self):
        "Searching from a saved call stores nothing and reads back empty"
        Call = Pool().get('callcenter.call')
        self.create_returns_articles()
        agent = create_agent(create_server(), 'agent1', '1001')
        call, = Call.browse(Call.register_events(
                agent.server.id, inbound_events()))
        Call.write([call], {'kb_query': "退货", 'notes': "asked"})
        call = Call(call.id)
        self.assertEqual((call.kb_query, list(call.kb_articles), call.notes),
            (None, [], "asked"))

    @with_transaction()
    def test_scripts_of_queue_first(self):
        "Scripts of the call's queue come first; the quick search filters"
        pool = Pool()
        Call = pool.get('callcenter.call')
        Category = pool.get('callcenter.kb.category')
        Script = pool.get('callcenter.kb.script')
        support, = Category.create([{'name': "Support"}])
        greeting, refund, closing = Script.create([
                {'title': "开场白", 'sequence': 1,
                    'content': "您好，欢迎致电客服中心"},
                {'title': "退货流程", 'sequence': 2, 'content': "请提供订单号",
                    'categories': [('add', [support.id])]},
                {'title': "Closing", 'sequence': 3,
                    'content': "Thank you for calling"},
                ])
        agent = create_agent(create_server(), 'agent1', '1001')
        call, = Call.browse(Call.register_events(
                agent.server.id, inbound_events()))
        self.assertEqual(call.queue.name, 'support')
        self.assertEqual(list(call.scripts), [refund, greeting, closing])
        call.script_query = "calling"
        call.on_change_script_query()
        self.assertEqual(list(call.scripts), [closing])

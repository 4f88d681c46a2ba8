import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import KbFixturesMixin, docx_bytes, pdf_bytes


class CallCenterKbTestCase(KbFixturesMixin, ModuleTestCase):
    "Test Call Center Knowledge Base module"
    module = 'callcenter_kb'
    extras = ['callcenter_cti', 'callcenter_ticket']

    @with_transaction()
    def test_category_full_name(self):
        "A sub-category is named after its parents"
        Category = Pool().get('callcenter.kb.category')
        parent, = Category.create([{
                    'name': "售后", 'children': [('create', [
                                {'name': "退货"}])]}])
        child, = parent.children
        self.assertEqual(child.rec_name, "售后 / 退货")
        self.assertEqual(Category.search([('rec_name', 'ilike', '%退货%')]),
            [child])

    @with_transaction()
    def test_flow_with_review(self):
        "Submitted articles wait for a reviewer, who publishes them"
        Article = Pool().get('callcenter.kb.article')
        agent, editor, reviewer = self.create_users()
        with self.as_user(editor):
            article, = Article.create([{'title': "Refund policy"}])
            Article.submit([article])
            self.assertEqual(article.state, 'pending')
            with self.assertRaises(UserError):
                Article.publish([article])
        with self.as_user(reviewer):
            Article.publish([article])
        self.assertEqual(article.state, 'published')
        self.assertEqual(article.reviewer, reviewer)
        self.assertEqual(article.publish_date, dt.date.today())

    @with_transaction()
    def test_flow_without_review(self):
        "Submitting in a category without review publishes at once"
        pool = Pool()
        Article = pool.get('callcenter.kb.article')
        Category = pool.get('callcenter.kb.category')
        _, editor, _ = self.create_users()
        category, = Category.create([{'name': "FAQ", 'review': False}])
        with self.as_user(editor):
            article, = Article.create([{
                        'title': "Opening hours",
                        'categories': [('add', [category.id])]}])
            Article.submit([article])
        self.assertEqual(article.state, 'published')

    @with_transaction()
    def test_reject_needs_reason_then_draft(self):
        "A rejection needs a reason and sends the article back to draft"
        Article = Pool().get('callcenter.kb.article')
        _, editor, reviewer = self.create_users()
        article = self.create_article("Warranty", state='pending')
        with self.as_user(reviewer):
            with self.assertRaises(UserError):
                Article.reject([article])
            Article.write([article], {'rejection_reason': "Too vague"})
            Article.reject([article])
        self.assertEqual(article.state, 'rejected')
        with self.as_user(editor):
            Article.draft([article])
        self.assertEqual(article.state, 'draft')
        self.assertEqual(article.rejection_reason, "Too vague")

    @with_transaction()
    def test_trash_restore_and_delete(self):
        "Trashed articles can be restored; only trashed ones deleted"
        Article = Pool().get('callcenter.kb.article')
        _, editor, _ = self.create_users()
        article = self.create_article("Old promo", state='draft')
        with self.as_user(editor):
            with self.assertRaises(AccessError):
                Article.delete([article])
            Article.trash([article])
            self.assertEqual(article.state, 'trash')
            Article.restore([article])
            self.assertEqual(article.state, 'draft')
            Article.trash([article])
            Article.delete([article])
        self.assertFalse(Article.search([('id', '=', article.id)]))

    @with_transaction()
    def test_agent_access(self):
        "Agents read published articles only and cannot edit them"
        Article = Pool().get('callcenter.kb.article')
        agent, editor, _ = self.create_users()
        published = self.create_article("Published")
        draft = self.create_article("Draft", state='draft')
        expired = self.create_article(
            "Late", expiry_date=dt.date.today() - dt.timedelta(days=1),
            publish_date=dt.date.today() - dt.timedelta(days=10))
        future = self.create_article(
            "Soon", publish_date=dt.date.today() + dt.timedelta(days=3))
        with self.as_user(agent):
            self.assertEqual(Article.search([]), [published])
            with self.assertRaises(AccessError):
                Article.read([draft.id], ['title'])
            with self.assertRaises(AccessError):
                Article.write([published], {'title': "Changed"})
            with self.assertRaises(UserError):
                Article.submit([published])
        with self.as_user(editor):
            self.assertEqual(
                set(Article.search([])), {published, draft, expired, future})

    @with_transaction()
    def test_cron_expires_articles(self):
        "The cron expires published articles whose expiry date has come"
        Article = Pool().get('callcenter.kb.article')
        today = dt.date.today()
        old = self.create_article(
            "Old", publish_date=today - dt.timedelta(days=5),
            expiry_date=today)
        current = self.create_article(
            "Current", expiry_date=today + dt.timedelta(days=1))
        Article.expire_articles()
        self.assertEqual(old.state, 'expired')
        self.assertEqual(current.state, 'published')

    @with_transaction()
    def test_publish_announces_to_agents(self):
        "Publishing with announce notifies every agent"
        pool = Pool()
        Article = pool.get('callcenter.kb.article')
        Notification = pool.get('res.notification')
        agent, editor, reviewer = self.create_users()
        article = self.create_article(
            "5G plan", state='pending', announce=True)
        with self.as_user(reviewer):
            Article.publish([article])
        notified = Notification.search([
                ('model', '=', 'callcenter.kb.article'),
                ('records', '=', str([article.id]))])
        self.assertTrue({agent, editor, reviewer}
            <= {n.user for n in notified})
        self.assertIn("5G plan", notified[0].label)

    @with_transaction()
    def test_search_chinese_substring(self):
        "Chinese words find articles containing them without spaces"
        self.create_article("退货政策", body="<p>七天无理由退货</p>")
        self.create_article(
            "如何开具发票", body="<p>电子发票在订单完成后开具</p>")
        self.create_article("Shipping", body="<p>We ship worldwide</p>")
        self.assertEqual(self.search_titles("退货"), ["退货政策"])
        self.assertEqual(self.search_titles("发票"), ["如何开具发票"])
        self.assertEqual(self.search_titles("开具发票"), ["如何开具发票"])
        self.assertEqual(self.search_titles("退票"), [])

    @with_transaction()
    def test_search_english_stemming(self):
        "English queries match other forms of the words"
        self.create_article(
            "Refund policy", body="<p>Customers are refunded in 7 days</p>")
        self.create_article("Shipping", body="<p>Parcels ship daily</p>")
        self.assertEqual(self.search_titles("refunds"), ["Refund policy"])
        self.assertEqual(self.search_titles("policies"), ["Refund policy"])
        self.assertEqual(self.search_titles("shipped"), ["Shipping"])

    @with_transaction()
    def test_search_mixed_query(self):
        "A mixed query needs both its Chinese and its English part"
        self.create_article("iPhone 退货", body="<p>Apple 产品的退货流程</p>")
        self.create_article("退货政策", body="<p>七天无理由退货</p>")
        self.create_article("iPhone repair", body="<p>维修</p>")
        self.assertEqual(self.search_titles("iphone 退货"), ["iPhone 退货"])

    @with_transaction()
    def test_search_ranking(self):
        "Pinned, recommended, then title over keywords over body"
        self.create_article("Other", body="<p>invoice in the body</p>")
        self.create_article("Invoice basics")
        self.create_article("Billing", keywords="invoice, bill")
        self.assertEqual(self.search_titles("invoice"),
            ["Invoice basics", "Billing", "Other"])
        self.create_article(
            "Pinned", body="<p>a pinned invoice note</p>", pinned=True)
        self.create_article(
            "Recommended", body="<p>invoice tip</p>", recommended=True)
        self.assertEqual(self.search_titles("invoice"),
            ["Pinned", "Recommended", "Invoice basics", "Billing", "Other"])

    @with_transaction()
    def test_search_chinese_ranking_and_snippet(self):
        "Chinese title matches come first; snippets highlight the match"
        Article = Pool().get('callcenter.kb.article')
        self.create_article("常见问题", body="<p>关于发票的说明：请联系客服</p>")
        self.create_article("发票指南", body="<p>开具发票流程</p>")
        results = Article.search_articles("发票")
        self.assertEqual([r['title'] for r in results], ["发票指南", "常见问题"])
        self.assertEqual(results[0]['matched'], 'title')
        self.assertIn("<b>发票</b>", results[1]['snippet'])

    @with_transaction()
    def test_search_by_code(self):
        "Typing an article code finds it first"
        self.create_article("Return labels", code="KB-0042")
        self.create_article("Labels", body="<p>see KB-0042</p>")
        self.assertEqual(self.search_titles("kb-0042")[0], "Return labels")

    @with_transaction()
    def test_search_hides_unpublished_and_expired(self):
        "Drafts, pending, expired and future articles are never found"
        agent, _, _ = self.create_users()
        today = dt.date.today()
        self.create_article("退货 live")
        self.create_article("退货 draft", state='draft')
        self.create_article("退货 pending", state='pending')
        self.create_article("退货 trash", state='trash')
        self.create_article("退货 expired state", state='expired')
        self.create_article(
            "退货 past expiry", publish_date=today - dt.timedelta(days=9),
            expiry_date=today)
        self.create_article(
            "退货 future", publish_date=today + dt.timedelta(days=1))
        with self.as_user(agent):
            self.assertEqual(self.search_titles("退货"), ["退货 live"])

    @with_transaction()
    def test_attachment_text_found_after_queue(self):
        "Text of attached .docx, .pdf and .txt files is found once queued"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Queue = pool.get('ir.queue')
        article = self.create_article("Manual")
        resource = str(article)
        Attachment.create([
                {'name': 'guide.docx', 'resource': resource,
                    'data': docx_bytes("保修期为两年")},
                {'name': 'specs.pdf', 'resource': resource,
                    'data': pdf_bytes("Battery capacity 4000 mAh")},
                {'name': 'notes.txt', 'resource': resource,
                    'data': "Firmware upgrade steps".encode()},
                ])
        self.assertEqual(self.search_titles("保修"), [])
        tasks = Queue.search([('name', '=', 'default')])
        self.assertTrue(tasks)
        for task in tasks:
            task.run()
        self.assertEqual(self.search_titles("保修"), ["Manual"])
        self.assertEqual(self.search_titles("batteries"), ["Manual"])
        self.assertEqual(self.search_titles("upgrading firmware"), ["Manual"])
        result, = Pool().get('callcenter.kb.article').search_articles("保修")
        self.assertEqual(result['matched'], 'attachment')
        self.assertIn("<b>保修</b>", result['snippet'])

    @with_transaction()
    def test_views_and_hot_ranking(self):
        "Opening an article counts a daily view; hot score uses the boost"
        Article = Pool().get('callcenter.kb.article')
        agent, _, _ = self.create_users()
        article = self.create_article("Popular")
        other = self.create_article("Quiet")
        with self.as_user(agent):
            for _ in range(3):
                Article.read([article.id], ['title', 'body'])
            Article.read([article.id, other.id], ['title', 'body'])
        article = Article(article.id)
        self.assertEqual(article.view_count, 3)
        self.assertEqual(len(article.views), 1)
        self.assertEqual(article.hot_score, 3)
        Article.write([article], {'boost': 2.0})
        self.assertEqual(Article(article.id).hot_score, 6)
        self.assertEqual(Article.search(
                [('state', '=', 'published')], order=[('hot_score', 'DESC')]),
            [article, other])

    @with_transaction()
    def test_only_admin_changes_boost(self):
        "Editors cannot change the boost of the hot ranking"
        Article = Pool().get('callcenter.kb.article')
        _, editor, _ = self.create_users()
        article = self.create_article("Boosted", state='draft')
        with self.as_user(editor):
            with self.assertRaises(AccessError):
                Article.write([article], {'boost': 5.0})

    @with_transaction()
    def test_favorites(self):
        "An agent keeps favorites of their own"
        Article = Pool().get('callcenter.kb.article')
        agent, editor, _ = self.create_users()
        article = self.create_article("退货政策")
        self.create_article("Other")
        with self.as_user(agent):
            Article.add_favorite([article])
            Article.add_favorite([article])
            self.assertEqual(
                Article.search([('favorite', '=', True)]), [article])
            self.assertTrue(Article(article.id).favorite)
        with self.as_user(editor):
            self.assertEqual(Article.search([('favorite', '=', True)]), [])
        with self.as_user(agent):
            Article.remove_favorite([Article(article.id)])
            self.assertEqual(Article.search([('favorite', '=', True)]), [])

    @with_transaction()
    def test_feedback_visible_to_editors(self):
        "Agents give feedback; editors see everyone's, agents their own"
        pool = Pool()
        Feedback = pool.get('callcenter.kb.feedback')
        GiveFeedback = pool.get('callcenter.kb.feedback.give', type='wizard')
        agent, editor, _ = self.create_users()
        other_agent = self.create_user(
            'agent2', 'callcenter_base.group_agent')
        article = self.create_article("Warranty")
        for user, rating in [(agent, 'not_helpful'), (other_agent, 'helpful')]:
            with self.as_user(user), Transaction().set_context(
                    active_model='callcenter.kb.article',
                    active_id=article.id, active_ids=[article.id]):
                session_id, _, _ = GiveFeedback.create()
                GiveFeedback.execute(session_id, {'start': {
                            'rating': rating, 'comment': "Needs a photo"}},
                    'send')
        with self.as_user(agent):
            feedback, = Feedback.search([])
            self.assertEqual(
                (feedback.rating, feedback.comment),
                ('not_helpful', "Needs a photo"))
        with self.as_user(editor):
            self.assertEqual(
                {f.user for f in Feedback.search([
                            ('article', '=', article.id)])},
                {agent, other_agent})

    @with_transaction()
    def test_search_wizard(self):
        "The search wizard lists ranked results with highlighted snippets"
        pool = Pool()
        Search = pool.get('callcenter.kb.search', type='wizard')
        self.create_article("开具发票", body="<p>如何开具发票</p>")
        session_id, _, _ = Search.create()
        session = Search(session_id)
        session.start.query = "发票"
        session.start.on_change_query()
        self.assertEqual([a.title for a in session.start.results], ["开具发票"])
        self.assertIn("<b>发票</b>", session.start.summary)
        # As the web client calls it: a new record with the depends only.
        SearchStart = pool.get('callcenter.kb.search.start')
        form = {'query': "发票", 'results': [], 'summary': None}
        start = SearchStart(id=-1, **{name: value
                for name, value in form.items()
                if name in SearchStart.on_change_query.depends})
        start.on_change_query()
        changes = start._changed_values()
        self.assertEqual(
            [v['id'] for _, v in changes['results']['add']],
            [session.start.results[0].id])
        action, _ = session.do_open_(
            {'name': "Published Articles"})
        self.assertIn(str(session.start.results[0].id),
            action['pyson_domain'])

    @with_transaction()
    def test_script_quick_search(self):
        "Call scripts are found by words of their title or content"
        Script = Pool().get('callcenter.kb.script')
        greeting, closing = Script.create([
                {'title': "开场白", 'sequence': 1,
                    'content': "您好，欢迎致电客服中心"},
                {'title': "Closing", 'sequence': 2,
                    'content': "Thank you for calling"},
                ])
        self.assertEqual(Script.search([]), [greeting, closing])
        self.assertEqual(
            Script.search([('rec_name', 'ilike', '%欢迎%')]), [greeting])
        self.assertEqual(
            Script.search([('rec_name', 'ilike', '%calling%')]), [closing])


del ModuleTestCase

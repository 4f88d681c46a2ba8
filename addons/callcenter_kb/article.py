import datetime as dt

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields, sequence_ordered)
from trytond.modules.callcenter_base.notify import Notice, notify
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.rpc import RPC
from trytond.transaction import Transaction, without_check_access

from .exceptions import (
    ArticleDeleteError, ExpiryDateError, RejectionReasonError)
from .search import ArticleSearchMixin
from .text import strip_html

EDITABLE = ['draft', 'pending', 'rejected']
HOT_DAYS = 30


class Article(
        ArticleSearchMixin, sequence_ordered(), Workflow, ModelSQL,
        ModelView):
    "A knowledge base article that agents read while on a call."
    __name__ = 'callcenter.kb.article'
    __string__ = "Knowledge Base Article"
    _states = {'readonly': ~Eval('state').in_(EDITABLE)}

    title = fields.Char("Title", required=True, states=_states)
    code = fields.Char(
        "Code", states=_states,
        help="A short reference the agents may type to find the article.")
    keywords = fields.Char(
        "Keywords", states=_states,
        help="Words or phrases, separated by spaces or commas, that rank "
        "the article before those only mentioning them in the body.")
    body = fields.Text("Body", states=_states)
    categories = fields.Many2Many(
        'callcenter.kb.article-callcenter.kb.category', 'article',
        'category', "Categories", states=_states)
    related_articles = fields.Many2Many(
        'callcenter.kb.article.related', 'article', 'related',
        "Related Articles",
        domain=[('id', '!=', Eval('id', -1))])
    attachments = fields.One2Many(
        'ir.attachment', 'resource', "Attachments", states=_states,
        help="Documents (.docx, .pdf, .txt) whose text is searched too.")
    attachment_texts = fields.One2Many(
        'callcenter.kb.article.attachment_text', 'article',
        "Attachment Texts", readonly=True)
    publish_date = fields.Date(
        "Publish Date",
        help="Agents see the article from that day; empty is the day it is "
        "published.")
    expiry_date = fields.Date(
        "Expiry Date",
        domain=[If(Bool(Eval('publish_date')) & Bool(Eval('expiry_date')),
                ('expiry_date', '>', Eval('publish_date')), ())],
        help="From that day the article is expired and hidden from agents.")
    new_business = fields.Boolean(
        "New Business", help="The article describes a newly launched "
        "product or service.")
    recommended = fields.Boolean(
        "Recommended", help="Ranked before other articles in searches.")
    pinned = fields.Boolean(
        "Pinned", help="Ranked first in searches and lists.")
    announce = fields.Boolean(
        "Announce", states=_states,
        help="Notify every agent when the article is published.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('pending', "Pending Review"),
            ('published', "Published"),
            ('rejected', "Rejected"),
            ('expired', "Expired"),
            ('trash', "Trash"),
            ], "State", readonly=True, required=True, sort=False)
    rejection_reason = fields.Text(
        "Rejection Reason",
        states={'readonly': Eval('state') != 'pending'},
        help="Why the reviewer sent the article back to its editor.")
    reviewer = fields.Many2One('res.user', "Reviewer", readonly=True)
    published_by = fields.Many2One('res.user', "Published By", readonly=True)
    boost = fields.Float(
        "Boost", required=True,
        help="Multiplies the views in the hot ranking.")
    hot_score = fields.Float(
        "Hot Score", readonly=True,
        help="Views of the last 30 days multiplied by the boost.")
    views = fields.One2Many(
        'callcenter.kb.article.view', 'article', "Views", readonly=True)
    view_count = fields.Function(
        fields.Integer("View Count"), 'get_view_count')
    favorite = fields.Function(
        fields.Boolean("Favorite"), 'get_favorite',
        searcher='search_favorite')
    feedbacks = fields.One2Many(
        'callcenter.kb.feedback', 'article', "Feedback", readonly=True)
    search_vector = fields.FullText(
        "Search Vector", readonly=True, loading='lazy')
    search_cjk = fields.FullText(
        "CJK Search Vector", readonly=True, loading='lazy')
    search_head = fields.FullText(
        "Title Search Vector", readonly=True, loading='lazy')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [
            ('pinned', 'DESC NULLS LAST'), ('sequence', 'ASC NULLS FIRST'),
            ('title', 'ASC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality()),
                    (t.expiry_date, Index.Range())),
                Index(t, (t.hot_score, Index.Range(order='DESC'))),
                })
        cls._transitions |= {
            ('draft', 'pending'), ('draft', 'published'),
            ('pending', 'published'), ('pending', 'rejected'),
            ('rejected', 'draft'), ('published', 'expired'),
            ('published', 'draft'), ('expired', 'draft'),
            ('draft', 'trash'), ('rejected', 'trash'),
            ('published', 'trash'), ('expired', 'trash'),
            ('trash', 'draft'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'], 'icon': 'tryton-forward'},
                'publish': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'], 'icon': 'tryton-ok'},
                'reject': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'], 'icon': 'tryton-cancel'},
                'draft': {
                    'invisible': ~Eval('state').in_(
                        ['rejected', 'published', 'expired']),
                    'depends': ['state'], 'icon': 'tryton-back'},
                'trash': {
                    'invisible': Eval('state').in_(['pending', 'trash']),
                    'depends': ['state'], 'icon': 'tryton-delete'},
                'restore': {
                    'invisible': Eval('state') != 'trash',
                    'depends': ['state'], 'icon': 'tryton-undo'},
                'add_favorite': {
                    'invisible': Bool(Eval('favorite')),
                    'depends': ['favorite'], 'icon': 'tryton-star-border'},
                'remove_favorite': {
                    'invisible': ~Bool(Eval('favorite')),
                    'depends': ['favorite'], 'icon': 'tryton-star'},
                'give_feedback': {
                    'invisible': Eval('state') != 'published',
                    'depends': ['state'], 'icon': 'tryton-comment'},
                })
        # Opening an article counts a view, so read may write.
        cls.__rpc__['read'] = RPC(readonly=False)

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        cls._register_search_indexes()

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_boost():
        return 1.0

    @staticmethod
    def default_hot_score():
        return 0.0

    @classmethod
    def default_announce(cls):
        return False

    @classmethod
    def default_pinned(cls):
        return False

    @classmethod
    def default_recommended(cls):
        return False

    @classmethod
    def validate_fields(cls, articles, field_names):
        super().validate_fields(articles, field_names)
        if field_names & {'publish_date', 'expiry_date'}:
            cls.check_dates(articles)

    @classmethod
    def check_dates(cls, articles):
        for article in articles:
            if (article.publish_date and article.expiry_date
                    and article.expiry_date <= article.publish_date):
                raise ExpiryDateError(gettext(
                        'callcenter_kb.msg_expiry_before_publish',
                        article=article.rec_name))

    @property
    def needs_review(self):
        "Whether one of the categories asks a reviewer to publish."
        if not self.categories:
            return True
        return any(c.review for c in self.categories)

    @property
    def body_text(self):
        return strip_html(self.body)

    @classmethod
    def get_view_count(cls, articles, name):
        View = Pool().get('callcenter.kb.article.view')
        view = View.__table__()
        counts = dict.fromkeys(map(int, articles), 0)
        cursor = Transaction().connection.cursor()
        cursor.execute(*view.select(view.article, Sum(view.count),
                where=view.article.in_(list(counts)),
                group_by=[view.article]))
        counts.update((a, int(c or 0)) for a, c in cursor)
        return counts

    @classmethod
    def _favorite_ids(cls):
        Favorite = Pool().get('callcenter.kb.favorite')
        favorite = Favorite.__table__()
        return favorite.select(favorite.article,
            where=favorite.user == Transaction().user)

    @classmethod
    def get_favorite(cls, articles, name):
        cursor = Transaction().connection.cursor()
        cursor.execute(*cls._favorite_ids())
        ids = {a for a, in cursor}
        return {a.id: a.id in ids for a in articles}

    @classmethod
    def search_favorite(cls, name, clause):
        _, operator, value = clause
        favorite = bool(value) == (operator == '=')
        return [('id', 'in' if favorite else 'not in', cls._favorite_ids())]

    def get_rec_name(self, name):
        return f'[{self.code}] {self.title}' if self.code else self.title

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op, ('title', operator, value), ('code', operator, value)]

    @classmethod
    def copy(cls, articles, default=None):
        default = default.copy() if default is not None else {}
        for name in ['state', 'rejection_reason', 'reviewer', 'published_by',
                'views', 'feedbacks', 'hot_score', 'attachment_texts',
                'search_vector', 'search_cjk', 'search_head', 'attachments']:
            default.setdefault(name, None)
        default.setdefault('code')
        return super().copy(articles, default=default)

    @classmethod
    def on_modification(cls, mode, articles, field_names=None):
        super().on_modification(mode, articles, field_names=field_names)
        if mode == 'delete':
            return
        if mode == 'create' or field_names & cls._search_fields():
            cls.index_articles(articles)
        if mode == 'write' and 'boost' in field_names:
            cls.update_hot_scores(articles)

    @classmethod
    def check_modification(cls, mode, articles, values=None, external=False):
        super().check_modification(
            mode, articles, values=values, external=external)
        if mode == 'delete':
            for article in articles:
                if article.state != 'trash':
                    raise ArticleDeleteError(gettext(
                            'callcenter_kb.msg_article_delete_not_trash',
                            article=article.rec_name))

    @classmethod
    def read(cls, ids, fields_names):
        result = super().read(ids, fields_names)
        transaction = Transaction()
        if (len(ids) == 1 and 'body' in fields_names and transaction.user
                and not transaction.readonly
                and transaction.context.get('_check_access')
                and not transaction.context.get('_kb_search')):
            cls.record_views(cls.browse(ids))
        return result

    @classmethod
    @ModelView.button
    def submit(cls, articles):
        "Send to review, or publish at once where no category asks review."
        direct = [a for a in articles if not a.needs_review]
        cls.request_review([a for a in articles if a.needs_review])
        with without_check_access():
            cls.publish(direct)

    @classmethod
    @Workflow.transition('pending')
    def request_review(cls, articles):
        cls.write(articles, {'rejection_reason': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, articles):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        user = Transaction().user or None
        for article in articles:
            if not article.publish_date or article.publish_date < today:
                article.publish_date = today
            article.published_by = user
            if article.state == 'pending':
                article.reviewer = user
        cls.save(articles)
        cls._announce([a for a in articles if a.announce])

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, articles):
        for article in articles:
            if not (article.rejection_reason or '').strip():
                raise RejectionReasonError(gettext(
                        'callcenter_kb.msg_rejection_reason_required',
                        article=article.rec_name))
        cls.write(articles, {'reviewer': Transaction().user or None})

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, articles):
        pass

    @classmethod
    @Workflow.transition('expired')
    def expire(cls, articles):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('trash')
    def trash(cls, articles):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def restore(cls, articles):
        pass

    @classmethod
    @ModelView.button
    def add_favorite(cls, articles):
        Favorite = Pool().get('callcenter.kb.favorite')
        user = Transaction().user
        existing = {f.article for f in Favorite.search([
                    ('user', '=', user), ('article', 'in', articles)])}
        Favorite.create([{'user': user, 'article': a.id}
                for a in articles if a not in existing])

    @classmethod
    @ModelView.button
    def remove_favorite(cls, articles):
        Favorite = Pool().get('callcenter.kb.favorite')
        Favorite.delete(Favorite.search([
                    ('user', '=', Transaction().user),
                    ('article', 'in', articles)]))

    @classmethod
    @ModelView.button_action('callcenter_kb.wizard_feedback')
    def give_feedback(cls, articles):
        pass

    @classmethod
    def _announce(cls, articles):
        "Post a notification about each article to every agent."
        users = cls._get_agent_users()
        notices = []
        for article in articles:
            label = gettext(
                'callcenter_kb.msg_article_published_announcement',
                article=article.rec_name)
            notices.extend(Notice(u, article, label,
                    article.keywords or article.code) for u in users)
        notify(notices)

    @classmethod
    def _get_agent_users(cls):
        "Ids of the active users who are agents, directly or by a sub-group."
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        UserGroup = pool.get('res.user-res.group')
        User = pool.get('res.user')
        user_group = UserGroup.user_group_all_table()
        user = User.__table__()
        agent = ModelData.get_id('callcenter_base', 'group_agent')
        cursor = Transaction().connection.cursor()
        cursor.execute(*user_group.join(
                user, condition=user.id == user_group.user).select(
                user_group.user,
                where=(user_group.group == agent)
                & (user.active == Literal(True)),
                group_by=[user_group.user]))
        return sorted(u for u, in cursor)

    @classmethod
    def extract_attachment_texts(cls, articles):
        "Queue task: read the attached documents and re-index the articles."
        AttachmentText = Pool().get('callcenter.kb.article.attachment_text')
        AttachmentText.extract(articles)

    @classmethod
    def expire_articles(cls, date=None):
        "Expire the published articles whose expiry date has come."
        pool = Pool()
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today()
        articles = cls.search([
                ('state', '=', 'published'),
                ('expiry_date', '<=', date),
                ])
        cls.expire(articles)

    @classmethod
    def record_views(cls, articles, date=None):
        "Count one view of each article for the day."
        pool = Pool()
        View = pool.get('callcenter.kb.article.view')
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today()
        with without_check_access():
            View.increment(articles, date)
            cls.update_hot_scores(articles, date=date)

    @classmethod
    def update_hot_scores(cls, articles=None, date=None):
        "Store views of the last 30 days times the boost as the hot score."
        pool = Pool()
        View = pool.get('callcenter.kb.article.view')
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today()
        table = cls.__table__()
        view = View.__table__()
        cursor = Transaction().connection.cursor()
        recent = view.select(Sum(view.count),
            where=(view.article == table.id)
            & (view.date > date - dt.timedelta(days=HOT_DAYS)))
        where = Literal(True)
        if articles is not None:
            if not articles:
                return
            where = table.id.in_([a.id for a in articles])
        cursor.execute(*table.update(
                [table.hot_score],
                [Coalesce(recent, 0) * Coalesce(table.boost, 1.0)],
                where=where))
        cls._clear_transaction_cache(articles)

    @classmethod
    def refresh_hot_scores(cls):
        "Cron: age the hot scores out of the 30-day window."
        cls.update_hot_scores()


class ArticleCategory(ModelSQL):
    "Category of an article."
    __name__ = 'callcenter.kb.article-callcenter.kb.category'
    __string__ = "Article Category"
    article = fields.Many2One(
        'callcenter.kb.article', "Article", required=True,
        ondelete='CASCADE')
    category = fields.Many2One(
        'callcenter.kb.category', "Category", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.category, Index.Equality())))


class ArticleRelated(ModelSQL):
    "An article that is worth reading with another."
    __name__ = 'callcenter.kb.article.related'
    __string__ = "Related Article"
    article = fields.Many2One(
        'callcenter.kb.article', "Article", required=True,
        ondelete='CASCADE')
    related = fields.Many2One(
        'callcenter.kb.article', "Related", required=True,
        ondelete='CASCADE')

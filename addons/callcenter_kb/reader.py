"""What the readers leave behind: views, favorites and feedback (KB-04)."""
import datetime as dt

from sql import Conflict, Literal

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

ARTICLE = 'callcenter.kb.article'


class ArticleView(ModelSQL, ModelView):
    "How many times an article was opened on a day."
    __name__ = 'callcenter.kb.article.view'
    __string__ = "Article Daily Views"
    article = fields.Many2One(
        ARTICLE, "Article", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    count = fields.Integer("Views", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('article_date_unique', Unique(t, t.article, t.date),
                'callcenter_kb.msg_view_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.date, Index.Range()), (t.article, Index.Equality())))
        cls._order = [('date', 'DESC'), ('article', 'ASC'), ('id', 'DESC')]

    @classmethod
    def increment(cls, articles, date):
        "Add one view of each article on ``date``, safe under concurrency."
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        user = Transaction().user
        for article in articles:
            cursor.execute(*table.insert(
                    [table.article, table.date, table.count,
                        table.create_uid, table.create_date],
                    [[article.id, date, 1, user, dt.datetime.now()]],
                    on_conflict=Conflict(
                        table, indexed_columns=[table.article, table.date],
                        columns=[table.count],
                        values=[table.count + Literal(1)])))


class Favorite(ModelSQL, ModelView):
    "An article a user keeps at hand."
    __name__ = 'callcenter.kb.favorite'
    __string__ = "Favorite Article"
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')
    article = fields.Many2One(
        ARTICLE, "Article", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('user_article_unique', Unique(t, t.user, t.article),
                'callcenter_kb.msg_favorite_unique'),
            ]

    @classmethod
    def default_user(cls):
        return Transaction().user


class Feedback(ModelSQL, ModelView):
    "A reader's opinion of an article."
    __name__ = 'callcenter.kb.feedback'
    __string__ = "Article Feedback"
    article = fields.Many2One(
        ARTICLE, "Article", required=True, ondelete='CASCADE')
    user = fields.Many2One('res.user', "User", required=True, readonly=True)
    rating = fields.Selection([
            ('helpful', "Helpful"),
            ('not_helpful', "Not Helpful"),
            ], "Rating", required=True)
    comment = fields.Text("Comment")
    date = fields.Date("Date", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.article, Index.Equality())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_user(cls):
        return Transaction().user

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class GiveFeedbackStart(ModelView):
    "Rate an article."
    __name__ = 'callcenter.kb.feedback.give.start'
    __string__ = "Give Feedback"
    rating = fields.Selection([
            ('helpful', "Helpful"),
            ('not_helpful', "Not Helpful"),
            ], "Rating", required=True)
    comment = fields.Text(
        "Comment", help="What was missing or wrong, for the editors.")

    @classmethod
    def default_rating(cls):
        return 'helpful'


class GiveFeedback(Wizard):
    "Tell the editors whether an article helped."
    __name__ = 'callcenter.kb.feedback.give'
    start = StateView(
        'callcenter.kb.feedback.give.start',
        'callcenter_kb.feedback_give_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Send", 'send', 'tryton-ok', default=True),
            ])
    send = StateTransition()

    def transition_send(self):
        Feedback = Pool().get('callcenter.kb.feedback')
        Feedback.create([{
                    'article': r.id,
                    'user': Transaction().user,
                    'rating': self.start.rating,
                    'comment': self.start.comment,
                    } for r in self.records])
        return 'end'

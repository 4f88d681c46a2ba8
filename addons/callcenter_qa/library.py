"""The recording library (QA-06): calls kept as examples for agents.

QA staff and leaders save an exemplary or cautionary call under a
category; agents of the entry's groups (everyone when it names none)
find it, mark favourites and play it in the page, without the right to
read the call itself.
"""
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, tree)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

KINDS = [
    ('exemplary', "Exemplary"),
    ('cautionary', "Cautionary"),
    ]


class LibraryCategory(DeactivableMixin, tree(separator=' / '),
        ModelSQL, ModelView):
    "A shelf of the recording library."
    __name__ = 'callcenter.qa.library.category'
    __string__ = "Recording Library Category"
    name = fields.Char("Name", required=True, translate=True)
    parent = fields.Many2One(
        'callcenter.qa.library.category', "Parent", ondelete='CASCADE')
    children = fields.One2Many(
        'callcenter.qa.library.category', 'parent', "Children")
    company = fields.Many2One('company.company', "Company", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class LibraryEntry(DeactivableMixin, ModelSQL, ModelView):
    "A call kept in the recording library."
    __name__ = 'callcenter.qa.library.entry'
    __string__ = "Recording Library Entry"
    name = fields.Char("Title", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    category = fields.Many2One(
        'callcenter.qa.library.category', "Category", required=True,
        domain=[('company', '=', Eval('company', -1))])
    kind = fields.Selection(KINDS, "Kind", required=True,
        help="Whether the call shows what to do or what to avoid.")
    call = fields.Many2One(
        'callcenter.call', "Call", required=True, ondelete='CASCADE')
    evaluation = fields.Many2One(
        'callcenter.qa.evaluation', "Evaluation", ondelete='SET NULL')
    description = fields.Text("What to Listen For")
    groups = fields.Many2Many(
        'callcenter.qa.library.entry-res.group', 'entry', 'group', "Groups",
        help="The groups whose members may listen; all when empty.")
    recording = fields.Function(
        fields.Binary("Recording", filename='recording_name'),
        'get_recording')
    recording_name = fields.Function(
        fields.Char("Recording Name"), 'get_call_values')
    call_start = fields.Function(
        fields.Timestamp("Call Start"), 'get_call_values')
    call_talk = fields.Function(
        fields.TimeDelta("Talk Duration"), 'get_call_values')
    favorites = fields.One2Many(
        'callcenter.qa.library.favorite', 'entry', "Favourites",
        readonly=True)
    favorite = fields.Function(
        fields.Boolean("Favourite"), 'get_favorite',
        searcher='search_favorite')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({'toggle_favorite': {}})

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'exemplary'

    @classmethod
    def get_call_values(cls, entries, names):
        fields_ = {'recording_name': 'recording_name',
            'call_start': 'start_at', 'call_talk': 'talk_duration'}
        result = {n: {} for n in names}
        with without_check_access():
            for entry in cls.browse(entries):
                for name in names:
                    result[name][entry.id] = getattr(
                        entry.call, fields_[name])
        return result

    @classmethod
    def get_recording(cls, entries, name):
        "The call's recording, which listeners may not read on the call."
        Call = Pool().get('callcenter.call')
        size = Transaction().context.get(f'{cls.__name__}.{name}')
        with without_check_access(), Transaction().set_context(
                **{f'{Call.__name__}.recording': size}):
            calls = Call.browse([e.call.id for e in entries])
            return {e.id: c.recording for e, c in zip(entries, calls)}

    @classmethod
    def get_favorite(cls, entries, name):
        Favorite = Pool().get('callcenter.qa.library.favorite')
        marked = {f.entry.id for f in Favorite.search([
                    ('user', '=', Transaction().user),
                    ('entry', 'in', [e.id for e in entries])])}
        return {e.id: e.id in marked for e in entries}

    @classmethod
    @ModelView.button
    def toggle_favorite(cls, entries):
        "Mark the entries favourite for the user, or unmark them."
        Favorite = Pool().get('callcenter.qa.library.favorite')
        user = Transaction().user
        current = Favorite.search([('user', '=', user),
                ('entry', 'in', [e.id for e in entries])])
        marked = {f.entry for f in current}
        Favorite.delete(current)
        Favorite.create([{'user': user, 'entry': e.id}
                for e in entries if e not in marked])

    @classmethod
    def search_favorite(cls, name, clause):
        _, operator, value = clause[:3]
        user = Transaction().user
        if (operator == '=') == bool(value):
            return [('favorites', 'where', [('user', '=', user)])]
        return [('favorites', 'not where', [('user', '=', user)])]


class LibraryEntryGroup(ModelSQL):
    "A group allowed to listen to a library entry."
    __name__ = 'callcenter.qa.library.entry-res.group'
    __string__ = "Recording Library Entry Group"
    entry = fields.Many2One(
        'callcenter.qa.library.entry', "Entry", required=True,
        ondelete='CASCADE')
    group = fields.Many2One(
        'res.group', "Group", required=True, ondelete='CASCADE')


class LibraryFavorite(ModelSQL):
    "A library entry a user marked as favourite."
    __name__ = 'callcenter.qa.library.favorite'
    __string__ = "Recording Library Favourite"
    entry = fields.Many2One(
        'callcenter.qa.library.entry', "Entry", required=True,
        ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')

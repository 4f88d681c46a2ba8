from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)


class Script(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "A talk track: what the agent says, step by step, on a kind of call."
    __name__ = 'callcenter.kb.script'
    __string__ = "Call Script"
    title = fields.Char("Title", required=True)
    content = fields.Text(
        "Content", help="The words to say; searched by the quick search.")
    categories = fields.Many2Many(
        'callcenter.kb.script-callcenter.kb.category', 'script', 'category',
        "Categories")
    # Chinese has no spaces: match substrings, not full-text words.
    content.search_full_text = False

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('sequence', 'ASC NULLS FIRST'), ('title', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return self.title

    @classmethod
    def search_rec_name(cls, name, clause):
        "Quick search: the title or any words of the content."
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op, ('title', operator, value),
            ('content', operator, value)]


class ScriptCategory(ModelSQL):
    "Category of a talk track."
    __name__ = 'callcenter.kb.script-callcenter.kb.category'
    __string__ = "Call Script Category"
    script = fields.Many2One(
        'callcenter.kb.script', "Script", required=True, ondelete='CASCADE')
    category = fields.Many2One(
        'callcenter.kb.category', "Category", required=True,
        ondelete='CASCADE')

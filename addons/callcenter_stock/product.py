"""Products found by name, code or pinyin while an agent takes an order."""
from pypinyin import Style, lazy_pinyin

from trytond.model import fields
from trytond.pool import PoolMeta


def pinyin_key(name):
    """The stored search key of ``name``: full pinyin then initials
    (柠檬茶 → "ningmengcha nmc"), lower case, so that an agent can type
    either. pypinyin keeps non-Chinese text as it is."""
    if not name:
        return None
    syllables = [s for s in lazy_pinyin(name) if s.strip()]
    full = ''.join(syllables).replace(' ', '').lower()
    initials = ''.join(
        s for s in lazy_pinyin(name, style=Style.FIRST_LETTER)
        if s.strip()).replace(' ', '').lower()
    return f'{full} {initials}'


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'
    pinyin = fields.Char(
        "Pinyin", readonly=True,
        help="The name in pinyin and its initials, to find the product "
        "by typing them.")

    @classmethod
    def create(cls, vlist):
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if values.get('name'):
                values['pinyin'] = pinyin_key(values['name'])
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        args = list(args)
        for i in range(1, len(args), 2):
            if 'name' in args[i]:
                args[i] = dict(args[i], pinyin=pinyin_key(args[i]['name']))
        super().write(*args)

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = super().search_rec_name(name, clause)
        return _with_pinyin(domain, clause, 'pinyin')


class Product(metaclass=PoolMeta):
    __name__ = 'product.product'

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = super().search_rec_name(name, clause)
        return _with_pinyin(domain, clause, 'template.pinyin')


def _with_pinyin(domain, clause, field):
    "Add the pinyin key to a positive text search."
    _, operator, operand, *extra = clause
    if (isinstance(operand, str) and operator.endswith('like')
            and not operator.startswith('not ') and domain[0] == 'OR'):
        return domain + [(field, operator, operand.lower(), *extra)]
    return domain

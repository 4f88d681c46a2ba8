from trytond.model import fields
from trytond.pool import PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    teams = fields.Many2Many(
        'callcenter.team-res.user', 'user', 'team', "Teams",
        help="The call-center teams the user works in.")

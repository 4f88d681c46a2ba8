from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import TeamLeaderError
from .model_data import prepare_module_data


class Team(DeactivableMixin, ModelSQL, ModelView):
    "A group of agents under one team leader, in one company."
    __name__ = 'callcenter.team'
    __string__ = "Call Center Team"
    name = fields.Char("Name", required=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        help="The client company the team works for.")
    leader = fields.Many2One(
        'res.user', "Leader",
        help="Sees and coaches the work of the members.")
    members = fields.Many2Many(
        'callcenter.team-res.user', 'team', 'user', "Members")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def __register__(cls, module):
        prepare_module_data(module)
        super().__register__(module)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def validate_fields(cls, teams, field_names):
        super().validate_fields(teams, field_names)
        if field_names & {'leader', 'members'}:
            cls.check_leader(teams)

    @classmethod
    def check_leader(cls, teams):
        for team in teams:
            if team.leader and team.leader not in team.members:
                raise TeamLeaderError(gettext(
                        'callcenter_base.msg_team_leader_not_member',
                        leader=team.leader.rec_name, team=team.rec_name))

    @classmethod
    def on_modification(cls, mode, teams, field_names=None):
        super().on_modification(mode, teams, field_names=field_names)
        # Record rules of every module read the teams of the user.
        Pool().get('ir.rule')._domain_get_cache.clear()


class TeamUser(ModelSQL):
    "Membership of a user in a team."
    __name__ = 'callcenter.team-res.user'
    __string__ = "Team Member"
    team = fields.Many2One(
        'callcenter.team', "Team", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        Pool().get('ir.rule')._domain_get_cache.clear()

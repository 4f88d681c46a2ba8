from trytond.exceptions import UserError
from trytond.modules.callcenter_base import phone
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


def create_user(login, *group_xml_ids):
    "Create a user in the given callcenter_base groups."
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    groups = [ModelData.get_id('callcenter_base', g) for g in group_xml_ids]
    user, = User.create([{
                'login': login, 'name': login.title(),
                'groups': [('add', groups)],
                }])
    return user


class CallCenterBaseTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Call Center Base module"
    module = 'callcenter_base'

    @with_transaction()
    def test_team_leader_must_be_member(self):
        "A team's leader must be one of its members"
        Team = Pool().get('callcenter.team')
        company = create_company()
        leader = create_user('leader', 'group_team_leader')
        with set_company(company):
            with self.assertRaises(UserError):
                Team.create([{'name': "Team A", 'leader': leader.id}])
            team, = Team.create([{
                        'name': "Team A", 'leader': leader.id,
                        'members': [('add', [leader.id])]}])
        self.assertEqual(team.company, company)

    @with_transaction()
    def test_rule_context_knows_teams(self):
        "Record rules see the user's teams and the users they lead"
        pool = Pool()
        Team = pool.get('callcenter.team')
        Rule = pool.get('ir.rule')
        company = create_company()
        leader = create_user('leader', 'group_team_leader')
        agent = create_user('agent', 'group_agent')
        other = create_user('other', 'group_agent')
        with set_company(company):
            team, = Team.create([{
                        'name': "Team A", 'leader': leader.id,
                        'members': [('add', [leader.id, agent.id])]}])
        with Transaction().set_user(leader.id):
            context = Rule._get_context('callcenter.team')
        self.assertEqual(context['led_teams'], [team.id])
        self.assertEqual(
            context['team_users'], sorted([leader.id, agent.id]))
        self.assertNotIn(other.id, context['team_users'])
        with Transaction().set_user(agent.id):
            context = Rule._get_context('callcenter.team')
        self.assertEqual(context['teams'], [team.id])
        self.assertEqual(context['led_teams'], [])

    @with_transaction()
    def test_team_leader_inherits_agent_access(self):
        "A team leader has the agent's rights through the group parent"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        leader = create_user('leader', 'group_team_leader')
        agent_group = ModelData.get_id('callcenter_base', 'group_agent')
        with Transaction().set_user(leader.id):
            self.assertIn(agent_group, User.get_groups())

    @with_transaction()
    def test_phone_region_follows_setting(self):
        "Agents read the phone country's region; changing it takes effect"
        pool = Pool()
        Country = pool.get('country.country')
        Configuration = pool.get('callcenter.configuration')
        agent = create_user('agent', 'group_agent')
        china, france = Country.create([
                {'name': "China", 'code': 'CN'},
                {'name': "France", 'code': 'FR'}])
        Configuration.write([Configuration(1)], {'phone_country': china.id})
        with Transaction().set_user(agent.id):
            self.assertEqual(Configuration.phone_region(), 'CN')
        Configuration.write([Configuration(1)], {'phone_country': france.id})
        with Transaction().set_user(agent.id):
            self.assertEqual(Configuration.phone_region(), 'FR')

    def test_phone_valid_formats(self):
        "A valid number gives its E.164 and international forms"
        number = phone.valid('010 1234 5678', 'CN')
        self.assertEqual(phone.e164(number), '+861012345678')
        self.assertEqual(phone.international(number), '+86 10 1234 5678')
        self.assertIsNone(phone.valid('12345', 'CN'))


del ModuleTestCase

"Questionnaires: designed by a leader, answered by agents, counted."
import contextlib
import io
import unittest

from openpyxl import load_workbook

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import SHANGHAI, create_task, create_team, create_user


@contextlib.contextmanager
def as_user(user):
    "The user's own rights, as the web client has them."
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True,
                company=user.company.id):
        yield


def design(name="Satisfaction survey", publish=True):
    "A questionnaire with one question of each type."
    Questionnaire = Pool().get('callcenter.questionnaire')
    questionnaire, = Questionnaire.create([{
                'name': name,
                'questions': [('create', [{
                                'sequence': 1, 'text': "Which plan?",
                                'type': 'single', 'required': True,
                                'options': [('create', [
                                            {'sequence': 1, 'name': "Basic"},
                                            {'sequence': 2, 'name': "Plus"},
                                            ])],
                                }, {
                                'sequence': 2, 'text': "Which channels?",
                                'type': 'multiple',
                                'options': [('create', [
                                            {'sequence': 1, 'name': "Phone"},
                                            {'sequence': 2, 'name': "Email"},
                                            {'sequence': 3, 'name': "App"},
                                            ])],
                                }, {
                                'sequence': 3, 'text': "How was the call?",
                                'type': 'rating', 'required': True,
                                }, {
                                'sequence': 4, 'text': "Anything else?",
                                'type': 'text',
                                }])],
                }])
    if publish:
        Questionnaire.publish([questionnaire])
    return questionnaire


def option(questionnaire, name):
    return next(o for q in questionnaire.questions for o in q.options
        if o.name == name)


def answer(response_id, plan, channels=(), rating=None, text=None):
    "Fill the agent's response by question type, then submit it."
    Response = Pool().get('callcenter.questionnaire.response')
    response = Response(response_id)
    questionnaire = response.questionnaire
    values = {
        'single': {'option': option(questionnaire, plan).id
            if plan else None},
        'multiple': {'options': [('add', [
                        option(questionnaire, c).id for c in channels])]},
        'rating': {'rating': rating},
        'text': {'text': text},
        }
    Response.write([response], {'answers': [
                ('write', [a.id], values[a.question.type])
                for a in response.answers]})
    Response.submit([response])
    return response


class QuestionnaireTestCase(unittest.TestCase):
    "Test questionnaires"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_campaign')

    def people(self, company):
        "A leader and two agents of the leader's team, one outsider."
        leader = create_user('leader', company, 'group_team_leader')
        agent = create_user('agent', company, 'group_agent')
        mate = create_user('mate', company, 'group_agent')
        outsider = create_user('outsider', company, 'group_agent')
        create_team("Outbound", leader, agent, mate)
        return leader, agent, mate, outsider

    @with_transaction()
    def test_leader_designs_agent_cannot(self):
        "A leader designs and publishes; an agent may only read"
        Questionnaire = Pool().get('callcenter.questionnaire')
        company = create_company()
        with set_company(company):
            leader, agent, _, _ = self.people(company)
            with as_user(leader):
                questionnaire = design(publish=False)
                Questionnaire.publish([questionnaire])
                self.assertEqual(questionnaire.state, 'published')
                self.assertEqual(
                    [q.text for q in questionnaire.questions],
                    ["Which plan?", "Which channels?", "How was the call?",
                        "Anything else?"])
            with as_user(agent):
                self.assertEqual(
                    Questionnaire.search([]), [questionnaire])
                with self.assertRaises(AccessError):
                    Questionnaire.create([{'name': "Mine"}])

    @with_transaction()
    def test_published_is_read_only(self):
        "A published questionnaire changes only once unpublished"
        pool = Pool()
        Questionnaire = pool.get('callcenter.questionnaire')
        Question = pool.get('callcenter.questionnaire.question')
        Option = pool.get('callcenter.questionnaire.option')
        company = create_company()
        with set_company(company):
            questionnaire = design()
            question = questionnaire.questions[0]
            with self.assertRaises(UserError):
                Questionnaire.write([questionnaire], {'name': "Other"})
            with self.assertRaises(UserError):
                Question.write([question], {'text': "Changed?"})
            with self.assertRaises(UserError):
                Option.create([{'question': question.id, 'name': "Pro"}])
            with self.assertRaises(UserError):
                Question.delete([question])
            Questionnaire.unpublish([questionnaire])
            Question.write([question], {'text': "Which plan now?"})
            self.assertEqual(question.text, "Which plan now?")

    @with_transaction()
    def test_empty_questionnaire_not_published(self):
        "A questionnaire without questions cannot be published"
        Questionnaire = Pool().get('callcenter.questionnaire')
        with set_company(create_company()):
            questionnaire, = Questionnaire.create([{'name': "Empty"}])
            with self.assertRaises(UserError):
                Questionnaire.publish([questionnaire])

    @with_transaction()
    def test_campaign_takes_published_questionnaire(self):
        "A campaign is given a published questionnaire only"
        Campaign = Pool().get('callcenter.campaign')
        with set_company(create_company()):
            draft = design("Draft", publish=False)
            published = design("Live")
            with self.assertRaises(UserError):
                Campaign.create([{'name': "Spring",
                            'questionnaire': draft.id}])
            campaign, = Campaign.create([{'name': "Spring",
                        'questionnaire': published.id}])
            self.assertEqual(campaign.questionnaire, published)

    @with_transaction()
    def test_agent_fills_for_lead_and_call(self):
        "The pop's form is the agent's response for the lead, reused"
        pool = Pool()
        Response = pool.get('callcenter.questionnaire.response')
        Campaign = pool.get('callcenter.campaign')
        company = create_company()
        with set_company(company):
            _, agent, _, _ = self.people(company)
            questionnaire = design()
            task = create_task("Leads", SHANGHAI, owner=agent.id)
            lead, = task.leads
            campaign, = Campaign.create([{'name': "Spring",
                        'questionnaire': questionnaire.id}])
            with as_user(agent):
                first = Response.fill(
                    questionnaire.id, lead.id, None, campaign.id)
                again = Response.fill(
                    questionnaire.id, lead.id, None, campaign.id)
                self.assertEqual(first, again)
                response = Response(first)
                self.assertEqual(response.user, agent)
                self.assertEqual(response.lead, lead)
                self.assertEqual(
                    [a.question.text for a in response.answers],
                    [q.text for q in questionnaire.questions])

    @with_transaction()
    def test_required_questions_before_submit(self):
        "A response misses no required answer when submitted"
        Response = Pool().get('callcenter.questionnaire.response')
        company = create_company()
        with set_company(company):
            _, agent, _, _ = self.people(company)
            questionnaire = design()
            with as_user(agent):
                response_id = Response.fill(questionnaire.id)
                with self.assertRaises(UserError):
                    answer(response_id, "Plus", ["Phone"], rating=None)
                response = answer(response_id, "Plus", ["Phone"], '4')
                self.assertEqual(response.state, 'submitted')
                self.assertTrue(response.submitted_at)

    @with_transaction()
    def test_submitted_answers_are_final(self):
        "Nobody changes or deletes a submitted response, not even by RPC"
        pool = Pool()
        Response = pool.get('callcenter.questionnaire.response')
        Answer = pool.get('callcenter.questionnaire.answer')
        company = create_company()
        with set_company(company):
            _, agent, _, _ = self.people(company)
            questionnaire = design()
            with as_user(agent):
                response = answer(Response.fill(questionnaire.id),
                    "Basic", ["Email", "App"], '5', "Call me in May")
                rating = next(a for a in response.answers
                    if a.question.type == 'rating')
                with self.assertRaises(AccessError):
                    Answer.write([rating], {'rating': '1'})
                with self.assertRaises(AccessError):
                    Response.write([response], {'lead': None})
                with self.assertRaises(AccessError):
                    Response.delete([response])
                with self.assertRaises(AccessError):
                    Answer.create([{'response': response.id,
                                'question': rating.question.id}])
            self.assertEqual(Answer(rating.id).rating, '5')

    @with_transaction()
    def test_agent_own_leader_team_responses(self):
        "Agents see their own responses; the leader sees the team's"
        Response = Pool().get('callcenter.questionnaire.response')
        company = create_company()
        with set_company(company):
            leader, agent, mate, outsider = self.people(company)
            questionnaire = design()
            made = {}
            for user in [agent, mate, outsider]:
                with as_user(user):
                    made[user.login] = answer(
                        Response.fill(questionnaire.id), "Basic", [], '3')
            with as_user(agent):
                self.assertEqual(Response.search([]), [made['agent']])
                with self.assertRaises(AccessError):
                    Response.read([made['mate'].id], ['state'])
            with as_user(leader):
                self.assertEqual(
                    sorted(r.id for r in Response.search([])),
                    sorted([made['agent'].id, made['mate'].id]))

    @with_transaction()
    def test_statistics_count_submitted_answers(self):
        "Statistics count each choice and rating of submitted responses"
        pool = Pool()
        Response = pool.get('callcenter.questionnaire.response')
        Statistic = pool.get('callcenter.questionnaire.statistic')
        company = create_company()
        with set_company(company):
            leader, agent, _, _ = self.people(company)
            questionnaire = design()
            with as_user(agent):
                for plan, channels, rating in [
                        ("Basic", ["Phone"], '5'),
                        ("Plus", ["Phone", "App"], '4'),
                        ("Plus", ["Email"], '4')]:
                    answer(Response.fill(questionnaire.id), plan,
                        channels, rating)
                Response.fill(questionnaire.id)  # a draft: not counted
            with as_user(leader):
                rows = Statistic.search(
                    [('questionnaire', '=', questionnaire.id)])
                counts = [(r.question.text, r.choice, r.count)
                    for r in rows]
        self.assertEqual(counts, [
                ("Which plan?", "Basic", 1),
                ("Which plan?", "Plus", 2),
                ("Which channels?", "Phone", 2),
                ("Which channels?", "Email", 1),
                ("Which channels?", "App", 1),
                ("How was the call?", "4", 2),
                ("How was the call?", "5", 1),
                ])

    @with_transaction()
    def test_export_statistics_to_xlsx(self):
        "The leader exports the statistics as a workbook with shares"
        pool = Pool()
        Response = pool.get('callcenter.questionnaire.response')
        Report = pool.get('callcenter.questionnaire.spreadsheet',
            type='report')
        company = create_company()
        with set_company(company):
            leader, agent, _, _ = self.people(company)
            questionnaire = design()
            with as_user(agent):
                for plan in ["Basic", "Plus", "Plus", "Plus"]:
                    answer(Response.fill(questionnaire.id), plan, [], '3')
            with as_user(leader):
                extension, data, _, _ = Report.execute(
                    [questionnaire.id], {})
        self.assertEqual(extension, 'xlsx')
        sheet = load_workbook(io.BytesIO(data)).active
        rows = list(sheet.values)
        self.assertEqual(rows[0], ("Question", "Choice", "Responses", '%'))
        self.assertIn(("Which plan?", "Plus", 3, 75.0), rows)
        self.assertIn(("How was the call?", "3", 4, 100.0), rows)

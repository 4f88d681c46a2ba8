from trytond.exceptions import UserError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class CallCenterCampaignTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Call Center Campaign module"
    module = 'callcenter_campaign'

    @with_transaction()
    def test_pacing_ratio_between_1_and_9(self):
        "The pacing ratio of a campaign stays between 1 and 9"
        Campaign = Pool().get('callcenter.campaign')
        company = create_company()
        with set_company(company):
            with self.assertRaises(UserError):
                Campaign.create([{'name': "Spring", 'pacing_ratio': 10}])
            campaign, = Campaign.create([{
                        'name': "Spring", 'pacing_ratio': 9}])
        self.assertEqual(campaign.pacing_ratio, 9)

    @with_transaction()
    def test_start_pause_stop(self):
        "A campaign starts, pauses, resumes and stops"
        Campaign = Pool().get('callcenter.campaign')
        company = create_company()
        with set_company(company):
            campaign, = Campaign.create([{'name': "Spring"}])
            for button, state in [
                    ('start', 'running'), ('pause', 'paused'),
                    ('start', 'running'), ('stop', 'stopped')]:
                getattr(Campaign, button)([campaign])
                self.assertEqual(campaign.state, state)
            Campaign.start([campaign])
            self.assertEqual(campaign.state, 'stopped')


del ModuleTestCase

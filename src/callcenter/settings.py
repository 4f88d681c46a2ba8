"""Where things live and the few settings a deployment may change.

Every setting has a default that works on a fresh clone; the environment
overrides it:

CALLCENTER_DB_URI   PostgreSQL server URI (``postgresql://user:pw@host:5432/``).
                    Unset: an embedded server is started with its data in
                    ``var/pgdata``.
CALLCENTER_DB_NAME  database name (default ``callcenter``).
CALLCENTER_LISTEN   web address (default ``localhost:8000``).
"""
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = (
    'callcenter_base',
    'callcenter_cti',
    'callcenter_ticket',
    'callcenter_kb',
    'callcenter_qa',
    'callcenter_campaign',
    'callcenter_stock',
    )


@dataclass(frozen=True)
class Settings:
    root: Path
    var: Path
    db_uri: str | None
    db_name: str
    listen: str

    @property
    def pgdata(self) -> Path:
        return self.var / 'pgdata'

    @property
    def sao_root(self) -> Path:
        "Installed by scripts/bootstrap.sh, shared by every var folder."
        return self.root / 'var' / 'sao' / 'package'

    @property
    def filestore(self) -> Path:
        return self.var / 'filestore'

    @property
    def trytond_conf(self) -> Path:
        return self.var / 'trytond.conf'

    @property
    def url(self) -> str:
        return f'http://{self.listen}/'


def load() -> Settings:
    return Settings(
        root=ROOT,
        var=ROOT / 'var',
        db_uri=os.environ.get('CALLCENTER_DB_URI') or None,
        db_name=os.environ.get('CALLCENTER_DB_NAME', 'callcenter'),
        listen=os.environ.get('CALLCENTER_LISTEN', 'localhost:8000'),
        )

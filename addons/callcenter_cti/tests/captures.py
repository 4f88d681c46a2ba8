"""Real Asterisk AMI streams (``/work/shared/ami-transcripts``), read by
the protocol tests here and the PBX tests of the repository's ``tests/``."""
from pathlib import Path

CAPTURES = Path(__file__).resolve().parents[4] / 'shared' / 'ami-transcripts'
if not CAPTURES.is_dir():
    CAPTURES = Path('/work/shared/ami-transcripts')


def capture(name: str) -> bytes:
    return (CAPTURES / name).read_bytes()

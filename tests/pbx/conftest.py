"""Fixtures of the PBX tests (helpers live in ``pbxhelpers``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from callcenter.pbxsim import SimConfig


@pytest.fixture
def sim_config(tmp_path: Path) -> SimConfig:
    """A fast simulator on a free port, recording under ``tmp_path``."""
    return SimConfig(port=0, tempo=0.001, recordings=tmp_path / 'rec')

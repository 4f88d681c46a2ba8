"""The pacer in the shift simulation of bench/dialer_pacing.py: busier
agents than progressive dialling, within the 3 % abandon limit."""
import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / 'bench' / 'dialer_pacing.py'


def load_bench():
    spec = importlib.util.spec_from_file_location('dialer_pacing', BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shift(bench, agents, policy, seed=7):
    "One 8-hour shift of ``agents`` under ``policy``."
    return bench.Simulation(
        agents, bench.CallStream(seed + agents), policy).run()


def test_twenty_agents_busier_than_progressive_within_limit():
    "20 agents talk at least 10 points more than progressive, <= 3 % drops"
    bench = load_bench()
    ours = shift(bench, 20, bench.Ours())
    progressive = shift(bench, 20, bench.progressive)
    assert progressive['abandon_pct'] == 0
    assert ours['abandon_pct'] <= 3.0
    assert ours['occupancy'] >= progressive['occupancy'] + 0.10


def test_five_agents_within_limit():
    "A team of 5 stays within the 3 % abandon limit"
    bench = load_bench()
    assert shift(bench, 5, bench.Ours())['abandon_pct'] <= 3.0

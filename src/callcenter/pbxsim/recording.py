"""Short but real WAV recordings, as MixMonitor would leave them."""
from __future__ import annotations

import functools
import math
import struct
import wave
from pathlib import Path

RATE = 8000


@functools.lru_cache(maxsize=8)
def _tone(count: int, frequency: float) -> bytes:
    return b''.join(
        struct.pack('<h', int(8000 * math.sin(2 * math.pi * frequency
                        * i / RATE)))
        for i in range(count))


def write_tone(path: Path, *, seconds: float = 0.3,
        frequency: float = 440.0) -> Path:
    """Write ``seconds`` of a sine tone, 8 kHz 16-bit mono (Asterisk's
    ``wav`` format), creating the folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = _tone(int(RATE * seconds), frequency)
    with wave.open(str(path), 'wb') as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(RATE)
        output.writeframes(samples)
    return path

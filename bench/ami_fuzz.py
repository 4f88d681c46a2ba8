"""AMI fuzz at volume: bad frames through the bridge's parser and mapping.

Each of ``--scale`` bad frames (truncated, oversized, binary, wrong
encodings, headers without values, 1 MB values, interleaved partial frames,
odd values; see ``callcenter_cti/tests/fuzzing.py``) is followed by a
valid Hangup, and both are fed in random TCP-like chunks to one parser, as
the bridge reads a link. Counted: exceptions out of the parser or mapping,
events the call log could not store, valid frames recovered after the
garbage, the parser's largest pending buffer and the process's peak RSS
(after the first tenth and at the end: bounded means they stay close).

    .venv/bin/python bench/ami_fuzz.py [--scale 1000000] [--seed 17]

No database. Last line: JSON with bench, frames, exceptions, peak memory,
recovered.
"""
import argparse
import collections
import json
import logging
import random
import resource
import sys
import time
import traceback

from trytond.modules.callcenter_cti.tests import fuzzing


def _rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def fuzz(scale, seed):
    rng = random.Random(seed)
    pipeline = fuzzing.Pipeline()
    kinds, errors = collections.Counter(), collections.Counter()
    recovered = unstorable = exceptions = 0
    rss_early, started = None, time.perf_counter()
    for number in range(scale):
        kind, data = fuzzing.bad_frame(rng)
        kinds[kind] += 1
        events = []
        for chunk in fuzzing.chunks(data + fuzzing.sentinel(number), rng):
            try:
                events += pipeline.feed(chunk)
            except Exception as error:
                exceptions += 1
                errors[traceback.format_exception_only(error)[-1]
                    .strip()[:120] + f' ({kind})'] += 1
        unstorable += sum(not fuzzing.storable(e) for e in events)
        recovered += any(e.get('uniqueid') == f'9.{number}' for e in events)
        if number == scale // 10:
            rss_early = _rss_mb()
    return {'frames': 2 * scale, 'bad_frames': scale,
        'kinds': dict(sorted(kinds.items())), 'exceptions': exceptions,
        'unstorable_events': unstorable, 'recovered': recovered,
        'skipped': pipeline.parser.skipped,
        'peak_pending_bytes': pipeline.peak_pending,
        'peak_rss_mb_at_10pct': rss_early, 'peak_rss_mb': _rss_mb(),
        'seconds': round(time.perf_counter() - started, 1),
        'errors': dict(errors.most_common(10))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=int, default=1_000_000,
        help="bad frames to send (each followed by a valid one)")
    parser.add_argument('--seed', type=int, default=17)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)   # one warning per skipped frame
    result = fuzz(args.scale, args.seed)
    print(f"{result['frames']} frames ({result['bad_frames']} bad) in "
        f"{result['seconds']} s: {result['exceptions']} exceptions, "
        f"{result['unstorable_events']} unstorable events, "
        f"{result['recovered']}/{result['bad_frames']} valid frames after "
        f"garbage parsed, {result['skipped']} frames skipped")
    print(f"kinds: {result['kinds']}")
    print(f"memory: parser buffer at most {result['peak_pending_bytes']} "
        f"bytes; peak RSS {result['peak_rss_mb_at_10pct']} MB after 10%, "
        f"{result['peak_rss_mb']} MB at the end")
    for error, count in result['errors'].items():
        print(f"  {count} × {error}")
    print(json.dumps({'bench': 'ami_fuzz', **result}))
    return 1 if result['exceptions'] else 0


if __name__ == '__main__':
    sys.exit(main())

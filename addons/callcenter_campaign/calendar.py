"""When a campaign may dial: its windows in each lead's time zone.

A campaign dials a lead only when the lead's local time is inside the
morning or afternoon window and the lead's local date is not one of the
company's holidays (US TSR: calling hours are the called person's).
Zones are grouped by their current UTC offset, so a call costs one
conversion per offset, not per lead.
"""
import datetime as dt
from collections import defaultdict

from trytond.pool import Pool
from trytond.tools import timezone as tz


_zones = {}


def _all_zones():
    "Every time zone, loaded once (``ZoneInfo`` keeps only a few)."
    if not _zones:
        for name in sorted(tz.available_timezones()):
            try:
                _zones[name] = tz.ZoneInfo(name)
            except Exception:
                continue
    return _zones


def zones_by_offset(now):
    "The time-zone names grouped by their UTC offset at ``now`` (UTC)."
    groups = defaultdict(list)
    for name, zone in _all_zones().items():
        local = zone.fromutc(now.replace(tzinfo=zone))
        groups[local.utcoffset()].append(name)
    return groups


_cache = {}


def _offsets(now):
    key = now.replace(second=0, microsecond=0)
    if key not in _cache:
        _cache.clear()
        _cache[key] = zones_by_offset(key)
    return _cache[key]


def open_zones(campaign, now):
    "The zone names in which ``campaign`` may dial at ``now`` (naive UTC)."
    windows = campaign.windows()
    if not windows:
        return []
    holidays = _holidays(campaign, now) if campaign.skip_holidays else set()
    zones = []
    for offset, names in _offsets(now).items():
        local = now + offset
        if local.date() in holidays:
            continue
        if any(start <= local.time() < end for start, end in windows):
            zones.extend(names)
    return zones


def is_open(campaign, zone_name, now):
    "Whether ``campaign`` may dial a lead of ``zone_name`` at ``now``."
    return zone_name in open_zones(campaign, now)


def _holidays(campaign, now):
    Holiday = Pool().get('callcenter.campaign.holiday')
    holidays = Holiday.search([
            ('company', '=', campaign.company.id),
            ('date', '>=', (now - dt.timedelta(days=1)).date()),
            ('date', '<=', (now + dt.timedelta(days=1)).date()),
            ])
    return {h.date for h in holidays}

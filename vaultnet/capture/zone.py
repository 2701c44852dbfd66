"""The time zone captures are dated in: ``timezone`` in ``vaultnet.toml``, else the machine's.

A meeting at 23:00 UTC is on the next day in Berlin; mail and calendars must
agree on which day that is, and it must be the user's day, not UTC's. Ids never
depend on it: only the date a capture is filed under does.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from vaultnet.base.dates import Date
from vaultnet.files.config import Config

Zone = ZoneInfo | None  # None: the machine's own zone, with its daylight-saving rules for each date


def vault_zone(config: Config) -> Zone:
    return ZoneInfo(config.timezone) if config.timezone else None


def local_day(when: dt.datetime | dt.date, zone: Zone) -> Date:
    """The day ``when`` falls on in ``zone``; a time without a zone (floating) is dated as written."""
    if not isinstance(when, dt.datetime):
        return when
    if when.tzinfo is None:
        return when.date()
    return (when.astimezone(zone) if zone is not None else when.astimezone()).date()

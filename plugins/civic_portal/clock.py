"""The build's single notion of "now": taken once per build, honouring SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo


def build_now(timezone: str, environ: dict[str, str] | None = None) -> dt.datetime:
    """An aware datetime in the portal's zone; SOURCE_DATE_EPOCH makes builds reproducible."""
    tz = zoneinfo.ZoneInfo(timezone)
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz)
    return dt.datetime.now(tz).replace(microsecond=0)

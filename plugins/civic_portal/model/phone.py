"""Phone numbers as links."""

from __future__ import annotations


def tel_uri(phone: str | None) -> str | None:
    """A tel: link for a checked phone number: its digits (and a leading +) only."""
    if not phone:
        return None
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")

"""The real webhook payloads the demo replays, shipped as package data.

They are byte-for-byte copies of files in ``tests/fixtures`` (``PROVENANCE.md`` beside
them says where each was published and under which licence); a unit test holds the
copies to the originals.  They are read with :mod:`importlib.resources`, so the demo
works from an installed wheel as well as from a checkout: hatchling puts every file
under ``src/tocsin`` into the wheel.
"""

from __future__ import annotations

from importlib import resources

__all__ = ["PAYLOADS", "payload"]

#: The payload files, by the source that sends them.
PAYLOADS: dict[str, str] = {
    "alertmanager-firing": "alertmanager-metalmatze-firing-endsat-set.json",
    "alertmanager-resolved": "alertmanager-metalmatze-resolved.json",
    "grafana-firing": "grafana-zulip-unified-v11-values-image.json",
}


def payload(name: str) -> bytes:
    """The bytes of the payload file ``PAYLOADS[name]``, as the sender posted them."""
    return (resources.files("tocsin._demo") / "payloads" / PAYLOADS[name]).read_bytes()

"""Retently API v2 (seed 001), served under /compat/retently/api/v2.

`Authorization: api_key=<key>`; subscribers with `properties: [{label, type, value}]`;
responses `{"message", "code", "data"}`, with per-subscriber and per-property
outcomes so that one value that cannot be stored never stops the others.
"""

"""HelpCrunch REST API v1 (seed 004), served under /compat/helpcrunch/v1.

`Authorization: Bearer <api key>`; HelpCrunch's customer object (`customData` typed,
dates as Unix timestamps, tags with colors) and its error list
`{"errors": [{"code": "invalid_request", ...}, {"code": <field>, "message": ...}]}`.
"""

"""Customer.io Track API v1 (seed 003), served under /compat/customerio/api/v1.

HTTP Basic auth `site_id:api_key`; JSON or form-encoded bodies; 200 `{}` on
success and `{"meta": {"errors": [...]}}` on failure, as Customer.io answers.
"""

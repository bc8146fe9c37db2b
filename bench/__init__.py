"""The benchmark harness: gunicorn as `make run` serves it, driven by wrk from another process.

`python -m bench` (`make bench`) measures every scenario of `bench.scenarios`; the Lua
scripts in `bench/lua/` build the requests wrk sends, and `bench.scenarios` builds the same
requests in Python for the checks, the tests and `--profile`.
"""

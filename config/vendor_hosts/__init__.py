"""The URLconfs of vendor hosts (config/hosts.py): each serves one vendor from the root."""

"""The pages, one module per area; web/urls.py maps their URLs."""

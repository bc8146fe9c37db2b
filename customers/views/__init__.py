"""Browser pages (PRODUCT.md §7): server-rendered, login required, scoped to the user's account."""

"""The browser pages (PRODUCT.md §7): server-rendered, login required, scoped to the user's account.

A door like the native API and the vendor adapters: pages map what was typed to the
services and selectors of `customers` and `events`, and presenters shape what they
return for the templates.
"""

"""Forms of the pages, one module per area: they read and shape what was typed."""

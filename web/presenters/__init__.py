"""What the pages show, shaped for the templates: labels, charts, plurals, value display.

Selectors return plain data; presenters turn it into the text and geometry people see,
as plain dicts and dataclasses (never attributes set on model instances).
"""

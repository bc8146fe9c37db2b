"""Every class a stylesheet styles is one a page can have: no rules left behind.

A class is in use when a template's class attribute names it (or starts with a prefix the
template completes, such as `type-{{ d.type }}`), a script adds or looks it up, or a form
widget's attrs give it.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STYLESHEETS = sorted((ROOT / "customers" / "static" / "customers").glob("*.css"))
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}")
DYNAMIC_PREFIX = re.compile(r"([A-Za-z][\w-]*-){{")
SCRIPT_STRING = re.compile(r"""["']([^"'\n]*)["']""")
WIDGET_CLASS = re.compile(r"""["']class["']\s*:\s*f?["']([^"']*)["']""")


def _classes_in_use() -> tuple[set[str], set[str]]:
    """Return the class names the pages can have, and the prefixes templates complete."""
    names, prefixes = set(), set()
    for template in (ROOT / "templates").rglob("*.html"):
        for value in CLASS_ATTRIBUTE.findall(template.read_text()):
            prefixes.update(DYNAMIC_PREFIX.findall(value))
            names.update(TEMPLATE_TAG.sub(" ", value).split())
    for script in STYLESHEETS[0].parent.glob("*.js"):
        for string in SCRIPT_STRING.findall(script.read_text()):
            names.update(re.findall(r"[\w-]+", string))
    for module in (ROOT / "web").rglob("*.py"):
        for value in WIDGET_CLASS.findall(module.read_text()):
            names.update(value.split())
    return names, prefixes


def _styled_classes(stylesheet: Path) -> set[str]:
    text = re.sub(r"/\*.*?\*/", "", stylesheet.read_text(), flags=re.S)
    selectors = " ".join(re.findall(r"([^{}]+){", text))
    return set(re.findall(r"\.([A-Za-z_][\w-]*)", selectors))


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=[s.name for s in STYLESHEETS])
def test_every_styled_class_is_used(stylesheet):
    names, prefixes = _classes_in_use()

    unused = {
        name
        for name in _styled_classes(stylesheet)
        if name not in names and not name.startswith(tuple(prefixes))
    }

    assert unused == set()

"""Text received from the portal, made safe to store and to query."""

import re

# C0 controls and DEL, but tab, line feed and carriage return: PostgreSQL
# refuses NUL in any string, and none of them has a meaning in a form field.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text):
    """``text`` without control characters (see ``CONTROL_CHARACTERS``)."""
    return CONTROL_CHARACTERS.sub("", text)


def is_whole_number(value, max_digits=9):
    """Whether ``value`` (a parameter) is a plain whole number that fits
    PostgreSQL's integer: ASCII digits only (``"²".isdigit()`` is true, and
    ``int("²")`` fails), at most ``max_digits`` of them."""
    text = str(value if value is not None else "")
    return 0 < len(text) <= max_digits and text.isascii() and text.isdigit()

"""Text received from the portal, made safe to store and to query."""

import re

# C0 controls and DEL, but tab, line feed and carriage return: PostgreSQL
# refuses NUL in any string, and none of them has a meaning in a form field.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text):
    """``text`` without control characters (see ``CONTROL_CHARACTERS``)."""
    return CONTROL_CHARACTERS.sub("", text)

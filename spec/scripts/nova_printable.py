"""Nova's printable-name rule as code point ranges, from this Python's unicodedata.

Read by generate.mjs. Nova (nova/api/validation/parameter_types.py) calls a character printable when
its general category is not C* (control, format, surrogate, private use, unassigned) and not Z*
unless it is Zs (a space separator); it builds its classes from U+0000..U+FFFE (`range(0xFFFF)`),
and a name may neither start nor end with a Zs character. The verdicts depend on the Unicode
database of the Python that runs Nova, so this runs on Python too, and prints its version.

Prints JSON: {"unicode", "python", "printable": [[lo, hi], ...], "printableNoSpace": [[lo, hi], ...]}.
"""

import json
import sys
import unicodedata

# Nova iterates `range(0xFFFF)`: U+FFFF itself is never part of a class.
NOVA_LAST = 0xFFFE


def is_printable(char):
    category = unicodedata.category(char)
    return not category.startswith("C") and (not category.startswith("Z") or category == "Zs")


def ranges(keep):
    out = []
    for cp in range(NOVA_LAST + 1):
        if not keep(chr(cp)):
            continue
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


json.dump(
    {
        "unicode": unicodedata.unidata_version,
        "python": sys.version.split()[0],
        "printable": ranges(is_printable),
        "printableNoSpace": ranges(lambda c: is_printable(c) and unicodedata.category(c) != "Zs"),
    },
    sys.stdout,
)

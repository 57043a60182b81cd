"""The Python side of portable.test.ts: the spec's patterns and request schema through Python's `re`
and python-jsonschema (what OpenStack validates with). Reads one JSON request on stdin, prints JSON."""

import base64
import json
import re
import sys
import unicodedata

from jsonschema import Draft202012Validator, RefResolver

request = json.load(sys.stdin)
out = {"unicode": unicodedata.unidata_version}

# Every pattern must compile: Python has no \p{...}, no \u{...}, no lookbehind of variable width.
errors = {}
for pattern in request["patterns"]:
    try:
        re.compile(pattern)
    except re.error as error:
        errors[pattern] = str(error)
out["patternErrors"] = errors

# The request schema at its pointer, with `#/components/...` references resolved in the document.
document = request["document"]
schema = document
for part in request["pointer"].strip("/").split("/"):
    schema = schema[part]
validator = Draft202012Validator(schema, resolver=RefResolver.from_schema(document))
out["bodyValid"] = [validator.is_valid(body) for body in request["bodies"]]

# `pattern` is re.search in jsonschema (and in Nova's own format checker): the same call here.
out["matches"] = {
    pattern: [re.search(pattern, s) is not None for s in strings]
    for pattern, strings in request["probes"].items()
    if pattern not in errors
}


def nova_valid_name_regex():
    """Nova's valid_name_regex, built the way parameter_types.py builds it (the lookaround form).

    Written out here as the oracle the generated pattern is compared with: it is the rule the
    contract claims to state, evaluated on this Python's Unicode database.
    """

    def printable(c):
        category = unicodedata.category(c)
        return not category.startswith("C") and (not category.startswith("Z") or category == "Zs")

    def ranges(valid):
        members, start = [], None
        for cp in range(0xFFFF + 1):
            ok = cp < 0xFFFF and valid(chr(cp))
            if ok and start is None:
                start = cp
            elif not ok and start is not None:
                members.append(re.escape(chr(start)) + ("" if start == cp - 1 else "-" + re.escape(chr(cp - 1))))
                start = None
        return "".join(members)

    not_n = ranges(lambda c: not (printable(c) and unicodedata.category(c) != "Zs"))
    p = ranges(printable)
    return re.compile("^(?![%s])[%s]*(?<![%s])$" % (not_n, p, not_n))


# The adversarial corpus: each body's bytes through what Nova does with them — oslo's strict UTF-8
# decode and json.loads (wsgi.py action_peek), the action key, then python-jsonschema's first error
# worded as nova/api/validation/validators.py words it. Nova's own name format is the spec's
# ImageName pattern here, whose failure Nova reports as InvalidName.
INVALID_NAME = (
    "An invalid 'name' value was provided. The name must be: printable characters. "
    "Can not start or end with whitespace."
)
name_schema = document["components"]["schemas"]["ImageName"]
action = list(schema["properties"])[0] if "properties" in schema else None


def nova_answer(raw):
    try:
        body = json.loads(raw.decode("utf-8"))
    except RecursionError:
        return {"decode": "RecursionError"}
    except ValueError:
        return {"decode": "ValueError"}
    try:
        if len(body) != 1:
            return {"decode": "ok", "message": "Malformed request body"}
        key = list(body.keys())[0]
    except (AttributeError, TypeError):
        return {"decode": "ok", "message": "The resource could not be found."}
    if key != action:
        return {"decode": "ok", "message": "There is no such action: %s" % key}
    first = next(iter(validator.iter_errors(body)), None)
    if first is None:
        return {"decode": "ok", "valid": True}
    if first.validator == "pattern" and first.schema is name_schema:
        message = INVALID_NAME
    elif len(first.path) > 0:
        message = "Invalid input for field/attribute %s. Value: %s. %s" % (first.path.pop(), first.instance, first.message)
    else:
        message = first.message
    return {"decode": "ok", "valid": False, "message": message}


out["corpus"] = [nova_answer(base64.b64decode(b)) for b in request.get("corpus", [])]

sweep = request["sweep"]
ours = re.compile(sweep["pattern"])
nova = nova_valid_name_regex() if sweep["codePoints"] else None
bits = {"ours": [], "nova": []}
for cp in sweep["codePoints"]:
    c = chr(cp)
    for s in (c, "a" + c + "a"):
        bits["ours"].append("1" if ours.search(s) else "0")
        bits["nova"].append("1" if nova.search(s) else "0")
out["sweep"] = {k: "".join(v) for k, v in bits.items()}

json.dump(out, sys.stdout)

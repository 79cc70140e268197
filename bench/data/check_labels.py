#!/usr/bin/env python3
"""Sanity checks for the hand-labelled PII evaluation sets (stdlib only).

Usage: python3 bench/data/check_labels.py [--cuad-dir /path/to/cuad]

Checks, per passage:
  * valid JSON with the expected fields, unique ids;
  * every span is in range, spans do not overlap, types are allowed for the file;
  * text[start:end] has no leading/trailing whitespace and is not empty;
  * every labelled PERSON string that occurs elsewhere in the same passage is
    labelled there too (occurrences inside another labelled span, inside a
    listed organization name (ja) or inside a reviewed "not_person" span (en)
    are accepted);
  * ja: every "organizations" string occurs in the text and overlaps no label;
  * en: if the CUAD contracts are available, the passage is a verbatim copy of
    the contract text at the offset given in the id.
Prints problems (if any) and counts per entity type.
"""
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = {
    "cuad_passages.jsonl": {
        "types": {"PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "DATE_OF_BIRTH", "ID_NUMBER"},
        "lang": "en", "min_len": 200, "max_len": 1200,
    },
    "ja_passages.jsonl": {
        "types": {"PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "MY_NUMBER",
                  "BANK_ACCOUNT", "ID_NUMBER", "DATE_OF_BIRTH"},
        "lang": "ja", "min_len": 80, "max_len": 600,
    },
}


def overlaps(a, b, spans):
    return any(a < e and s < b for s, e in spans)


def occurrences(text, value, lang):
    if lang == "en":
        pre = r"(?<![A-Za-z0-9])" if value[0].isalnum() else ""
        post = r"(?![A-Za-z0-9])" if value[-1].isalnum() else ""
        pat = re.compile(pre + re.escape(value) + post)
    else:
        pat = re.compile(re.escape(value))
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def my_number_ok(value):
    digits = [int(c) for c in value if c.isdigit()]  # also accepts full-width digits
    if len(digits) != 12:
        return False
    body = digits[:11]
    total = sum(body[11 - n] * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    r = total % 11
    return digits[11] == (0 if r <= 1 else 11 - r)


def check_file(name, cfg, cuad_dir):
    path = os.path.join(HERE, name)
    problems, counts, passages, empty = [], Counter(), 0, 0
    ids, sources = set(), set()
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            where = f"{name}:{lineno}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: invalid JSON ({exc})")
                continue
            for key in ("id", "source", "text", "entities"):
                if key not in rec:
                    problems.append(f"{where}: missing field {key!r}")
            if cfg["lang"] == "ja" and "organizations" not in rec:
                problems.append(f"{where}: missing field 'organizations'")
            if any(k not in rec for k in ("id", "text", "entities")):
                continue
            passages += 1
            text, rid = rec["text"], rec["id"]
            where = f"{name}:{lineno} ({rid})"
            if rid in ids:
                problems.append(f"{where}: duplicate id")
            ids.add(rid)
            sources.add(rec.get("source"))
            if not cfg["min_len"] <= len(text) <= cfg["max_len"]:
                problems.append(f"{where}: text length {len(text)} outside {cfg['min_len']}-{cfg['max_len']}")
            spans = []
            for ent in rec["entities"]:
                s, e, t = ent.get("start"), ent.get("end"), ent.get("type")
                if t not in cfg["types"]:
                    problems.append(f"{where}: unknown type {t!r}")
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                    problems.append(f"{where}: span out of range {ent}")
                    continue
                val = text[s:e]
                if val != val.strip():
                    problems.append(f"{where}: span {s}-{e} {val!r} has leading/trailing whitespace")
                if overlaps(s, e, spans):
                    problems.append(f"{where}: span {s}-{e} {val!r} overlaps another span")
                if t == "MY_NUMBER" and not my_number_ok(val):
                    problems.append(f"{where}: MY_NUMBER {val!r} fails the check digit")
                spans.append((s, e))
                counts[t] += 1
            if not rec["entities"]:
                empty += 1
            # reviewed non-person occurrences (companies named after a person, etc.)
            allowed = [tuple(x) for x in rec.get("not_person", [])]
            orgs = rec.get("organizations", [])
            for org in orgs:
                occ = occurrences(text, org, "ja")
                if not occ:
                    problems.append(f"{where}: organization {org!r} not found in text")
                for a, b in occ:
                    if overlaps(a, b, spans):
                        problems.append(f"{where}: organization {org!r} overlaps a label")
                    allowed.append((a, b))
            persons = {text[x["start"]:x["end"]] for x in rec["entities"]
                       if x.get("type") == "PERSON" and isinstance(x.get("start"), int)}
            for p in sorted(persons):
                for a, b in occurrences(text, p, cfg["lang"]):
                    if overlaps(a, b, spans):
                        continue
                    if any(s <= a and b <= e for s, e in allowed):
                        continue
                    problems.append(f"{where}: PERSON {p!r} also occurs unlabelled at {a}-{b}")
            if cfg["lang"] == "en" and cuad_dir:
                src = os.path.join(cuad_dir, "contracts", rec.get("source", ""))
                m = re.search(r"#(\d+)$", rid)
                if not os.path.exists(src) or not m:
                    problems.append(f"{where}: cannot locate source contract")
                else:
                    with open(src, encoding="utf-8") as sf:
                        full = sf.read()
                    off = int(m.group(1))
                    if full[off:off + len(text)] != text:
                        problems.append(f"{where}: text is not verbatim at offset {off} of {rec['source']}")
    return problems, counts, passages, empty, len(sources)


def main(argv):
    cuad_dir = None
    if "--cuad-dir" in argv:
        cuad_dir = argv[argv.index("--cuad-dir") + 1]
    else:
        guess = "/work/shared/datasets/cuad"
        if os.path.isdir(os.path.join(guess, "contracts")):
            cuad_dir = guess
    total_problems = 0
    for name, cfg in FILES.items():
        problems, counts, passages, empty, nsrc = check_file(name, cfg, cuad_dir)
        total_problems += len(problems)
        print(f"== {name}: {passages} passages, {passages - empty} with entities, {empty} without")
        if cfg["lang"] == "en":
            print(f"   distinct source contracts: {nsrc}"
                  + ("" if cuad_dir else " (verbatim check skipped: CUAD not found)"))
        for t in sorted(cfg["types"]):
            print(f"   {t:15s} {counts.get(t, 0)}")
        print(f"   {'total':15s} {sum(counts.values())}")
        for p in problems:
            print("   PROBLEM:", p)
    print("OK: no problems found" if total_problems == 0 else f"{total_problems} problem(s) found")
    return 1 if total_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

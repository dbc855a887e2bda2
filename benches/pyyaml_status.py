#!/usr/bin/env python3
"""The script a team might write instead of `breachline status --format json`.

PyYAML with its C loader (CSafeLoader, libyaml), one process, the same work: find the files,
parse each, work out each remediation item's state as of a day, print one JSON document with
the same keys. It skips what breachline adds on top (typed errors with line and column,
validation, texts in two languages), so it is a lower bound for such a script.
Used by benches/compare.sh; see docs/performance.md.
"""

import datetime
import json
import os
import sys

import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:
    sys.exit("pyyaml_status.py: PyYAML was built without libyaml (no CSafeLoader)")


def files(paths):
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [
                    os.path.join(root, n)
                    for n in names
                    if n.endswith((".yaml", ".yml")) and not n.startswith(".")
                ]
            yield from sorted(found)
        else:
            yield path


def day(value):
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)) if value is not None else None


def text(value, lang="en"):
    if isinstance(value, dict):
        return value.get(lang) or next(iter(value.values()), "")
    return value


def item_json(item, as_of, soon):
    due, completed = day(item.get("due")), day(item.get("completed") or item.get("completed_by"))
    status = item["status"]
    days_left = days_overdue = days_late = None
    if status == "done" and completed and completed <= as_of:
        late = due is not None and item.get("completed") and completed > due
        state = "done_late" if late else "done"
        days_late = (completed - due).days if late else None
    elif status == "cancelled":
        state = "cancelled"
    elif due is None:
        state = "no_deadline"
    else:
        left = (due - as_of).days
        if left < 0:
            state, days_overdue = "overdue", -left
        else:
            state, days_left = ("due_soon" if left <= soon else "open"), left
    return {
        "id": item["id"],
        "title": text(item["title"]),
        "detail": text(item.get("detail")),
        "function": item.get("function"),
        "due": due,
        "announced": day(item.get("announced")),
        "status": status,
        "state": state,
        "days_left": days_left,
        "days_overdue": days_overdue,
        "days_late": days_late,
        "completed": day(item.get("completed")),
        "completed_by": day(item.get("completed_by")),
        "sources": item.get("sources", []),
    }


def main(argv):
    as_of, soon, paths = datetime.date.today(), 14, []
    args = iter(argv)
    for arg in args:
        if arg == "--as-of":
            as_of = datetime.date.fromisoformat(next(args))
        elif arg == "--soon":
            soon = int(next(args))
        else:
            paths.append(arg)
    incidents = []
    for path in files(paths or ["incidents"]):
        with open(path, "rb") as f:
            doc = yaml.load(f, Loader=Loader)
        impact = doc.get("impact") or {}
        incidents.append(
            {
                "id": doc["id"],
                "title": text(doc["title"]),
                "file": path,
                "impact": {k: impact.get(k) for k in ("potential", "confirmed")},
                "remediation": [
                    item_json(i, as_of, soon)
                    for i in doc.get("remediation") or []
                    if day(i.get("announced")) is None or day(i.get("announced")) <= as_of
                ],
            }
        )
    out = {"as_of": as_of, "soon_days": soon, "incidents": incidents}
    sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])

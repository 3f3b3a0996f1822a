#!/usr/bin/env python3
"""Assembles docs/technical-review.md from the reviewers' records in docs/review/.

Each reviewer wrote one file (pass1-NN.md, pass2-NN.md, pass3-X.md, spot-N.md) with a
section per scenario headed `### <category-folder>/<file-stem>`. This script gathers
every scenario's sections in review order, under the scenario, in book order, and puts
a summary table first: how many independent reviews each scenario had and what the
last one found. It reads only docs/review/ and book/scenarios/; it writes one file.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REVIEW_DIR = os.path.join(ROOT, "docs", "review")
SCENARIOS = os.path.join(ROOT, "book", "scenarios")
OUT = os.path.join(ROOT, "docs", "technical-review.md")

# Review order: pass 1, pass 2, pass 3, then spot checks.
STAGES = [("pass1-", "Pass 1"), ("pass2-", "Pass 2"), ("pass3-", "Pass 3"), ("pass4-", "Pass 4"), ("spot-", "Spot check"), ("recheck-", "Re-check after a spot-check fix"), ("sweep-", "Sweep (third full pass)"), ("final-", "Final re-check after a sweep fix"), ("sweep4-", "Fourth pass (category 02)"), ("zfinal-", "Re-check after the fourth pass"), ("spot5-", "Spot check, round 5 (category 02)"), ("sweep5-", "Fifth pass (category 02)"), ("zrecheck5-", "Re-check after a round-5 fix"), ("zrecheck6-", "Second re-check after a round-5 fix"), ("zrecheck7-", "Third re-check after a round-5 fix"), ("spot6-", "Spot check, round 6 (category 02)"), ("respot6-", "Re-check after a round-6 fix"), ("spot7-", "Spot check, round 7 (category 02)"), ("respot7-", "Re-check after a round-7 fix"), ("spot8-", "Spot check, round 8 (category 02)"), ("respot8-", "Re-check after a round-8 fix"), ("spot9-", "Spot check, round 9 (category 02)"), ("respot9-", "Re-check after a round-9 fix"), ("spot10-", "Spot check, round 10 (category 02)"), ("respot10-", "Re-check after a round-10 fix"), ("sweep6-", "Sixth pass (category 02)"), ("recheck6-", "Re-check after a sixth-pass fix"), ("spot11-", "Spot check, round 11 (category 02)"), ("respot11-", "Re-check after a round-11 fix"), ("spot12-", "Spot check, round 12 (category 02)"), ("respot12-", "Re-check after a round-12 fix"), ("spot13-", "Spot check, round 13 (category 02)"), ("respot13-", "Re-check after a round-13 fix"), ("spot14-", "Spot check, round 14 (category 02)"), ("respot14-", "Re-check after a round-14 fix"), ("spot15-", "Spot check, round 15 (category 02)"), ("respot15-", "Re-check after a round-15 fix"), ("spot16-", "Spot check, round 16 (category 02)"), ("respot16-", "Re-check after a round-16 fix"), ("spot17-", "Spot check, round 17 (category 02)"), ("respot17-", "Re-check after a round-17 fix"), ("spot18-", "Spot check, round 18 (category 02)"), ("respot18-", "Re-check after a round-18 fix"), ("spot19-", "Spot check, round 19 (category 02)"), ("respot19-", "Re-check after a round-19 fix"), ("spot20-", "Spot check, round 20 (category 02)"), ("respot20-", "Re-check after a round-20 fix"), ("spot21-", "Spot check, round 21 (category 02)"), ("respot21-", "Re-check after a round-21 fix"), ("edit22-", "Editorial pass (category 02): secondary figures removed, answers shortened"), ("sweep7-", "Seventh pass (category 02), after the editorial pass"), ("recheck7-", "Re-check after a seventh-pass fix"), ("recheck8-", "Second re-check after a seventh-pass fix"), ("spot22-", "Spot check, round 22 (category 02)"), ("respot22-", "Re-check after a round-22 fix"), ("spot23-", "Spot check, round 23 (category 02)"), ("respot23-", "Re-check after a round-23 fix"), ("spot24-", "Spot check, round 24 (category 02)"), ("respot24-", "Re-check after a round-24 fix"), ("spot25-", "Spot check, round 25 (category 02)"), ("respot25-", "Re-check after a round-25 fix"), ("diffcheck-", "Check of the last reviewers' weak-point edits (fresh reviewer, changed lines in context)"), ("rediff-", "Re-check after a diff-check fix"), ("bookspot24-", "Spot check across the book, round 24"), ("rebookspot24-", "Re-check after a book-wide round-24 fix"), ("sweep8-", "Eighth pass (book-wide, fresh reviewers)"), ("recheck9-", "Re-check after an eighth-pass fix"), ("recheck10-", "Second re-check after an eighth-pass fix"), ("bookspot25-", "Spot check across the book, round 25 (three per category)"), ("rebookspot25-", "Re-check after a book-wide round-25 fix"), ("bookspot26-", "Spot check, round 26 (categories 01, 06, 07, 08)"), ("rebookspot26-", "Re-check after a round-26 fix"), ("bookspot27-", "Spot check, round 27 (categories 06, 07)"), ("rebookspot27-", "Re-check after a round-27 fix"), ("bookspot28-", "Spot check, round 28 (category 06)"), ("rebookspot28-", "Re-check after a round-28 fix"), ("bookspot29-", "Spot check, round 29 (category 06)"), ("rebookspot29-", "Re-check after a round-29 fix"), ("bookspot30-", "Spot check across the book, round 30 (one per category)"), ("rebookspot30-", "Re-check after a round-30 fix")]


def scenario_keys():
    keys = []
    for category in sorted(os.listdir(SCENARIOS)):
        for name in sorted(os.listdir(os.path.join(SCENARIOS, category))):
            if name.endswith(".md"):
                keys.append(f"{category}/{name[:-3]}")
    return keys


def sections(path):
    """(key, text) for each `### key` section of a record file."""
    text = open(path, encoding="utf-8").read()
    parts = re.split(r"^### ", text, flags=re.M)
    for part in parts[1:]:
        heading, _, body = part.partition("\n")
        key = heading.strip().strip("`").removesuffix(".md")
        yield key, body.strip()


def last_result(body):
    match = re.search(r"^Result:\s*(.+)$", body, flags=re.M)
    if match:
        return match.group(1).strip()
    return "reviewed and fixed (see findings)"


def main():
    keys = scenario_keys()
    entries = {k: [] for k in keys}
    unknown = []
    for prefix, stage in STAGES:
        # Within a stage, in the order the reviews were written.
        files = sorted(
            (f for f in os.listdir(REVIEW_DIR) if f.startswith(prefix) and f.endswith(".md")),
            key=lambda f: (os.path.getmtime(os.path.join(REVIEW_DIR, f)), f),
        )
        for name in files:
            for key, body in sections(os.path.join(REVIEW_DIR, name)):
                if key in entries:
                    entries[key].append((stage, name[:-3], body))
                else:
                    unknown.append(f"{name}: {key}")
    lines = [
        "# Technical review record",
        "",
        "The publisher's evidence that every scenario was checked. Each scenario was read",
        "cold by reviewers who did not write it, with `shared/guides/content.md` as the bar",
        "and the nine error classes of the December 2026 review as the checklist: every",
        "number recomputed (the calculation written down), every product mechanism checked",
        "against the product's documentation or source. Pass 1 reviewed and fixed (and",
        "applied the December review's findings); pass 2 was a fresh reviewer on the fixed",
        "file; where a reviewer found and fixed a definite error, another fresh reviewer",
        "read the file again (pass 3 and on) until one found none. Spot checks are",
        "three scenarios per category, picked at random (Python `random.seed(20261201)`),",
        "read by one more fresh reviewer; later rounds (22 onward) draw with",
        "`random.Random(seed).sample(sorted files, 3)`, seeds 2026120122-24 for category 02",
        "and `f\"202612012N-{category}\"` for rounds 25-29. On 2026-12-01 category 02's",
        "answers were cut to about 1,000 words in an editorial pass, and an eighth pass read",
        "the other 93 scenarios; a \"check of the last weak-point edits\" is a fresh reviewer",
        "reading, in context, the small edits the previous reviewer made after finding no",
        "definite error. This file is assembled by",
        "`scripts/assemble-review-record.py` from the reviewers' own records in",
        "`docs/review/`; it is not part of the book's build.",
        "",
        "## Summary",
        "",
        "| scenario | reviews | last review | its result |",
        "|---|---|---|---|",
    ]
    for key in keys:
        reviews = entries[key]
        if reviews:
            stage, record, body = reviews[-1]
            result = last_result(body).replace("|", "/")
            lines.append(f"| `{key}` | {len(reviews)} | {stage} ({record}) | {result} |")
        else:
            lines.append(f"| `{key}` | 0 | — | not reviewed |")
    lines.append("")
    for key in keys:
        lines.append(f"## {key}")
        lines.append("")
        for stage, record, body in entries[key]:
            lines.append(f"### {stage} — `docs/review/{record}.md`")
            lines.append("")
            lines.append(body)
            lines.append("")
    if unknown:
        lines.append("## Other notes in the records (not about one scenario)")
        lines.append("")
        lines.extend(f"- {u}" for u in unknown)
        lines.append("")
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("\n".join(lines))
    reviewed = sum(1 for k in keys if entries[k])
    print(f"{OUT}: {len(keys)} scenarios, {reviewed} reviewed, {len(unknown)} unmatched sections")
    return 0


if __name__ == "__main__":
    sys.exit(main())

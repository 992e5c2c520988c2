#!/usr/bin/env python3
"""Mutation testing for CloudRelease: do the tests pin each rule, not just its example? (issue 24)

Each entry of catalogue.json is one deliberate single-rule bug: a file, an exact piece of its text (which must occur
exactly once), the replacement, the rule in a user's words, its source, and a `swift test --filter` regex naming the
suites expected to catch it. Each mutant is applied alone, built, and tested: first the expected suites, then, if
they pass, the whole `swift test`. The result is one of

    caught            a test failed (stage `filtered` or `full`)
    missed            every test passed: the rule is not pinned
    does-not-compile  the mutant does not build (not counted in the score; fix the entry)
    stale             the text is not in the file exactly once (the code moved on; fix the entry)

and the score is caught / (caught + missed). Only the Python standard library is used.

Where the mutants are built:
    default     a git worktree of HEAD under --scratch (default .build-mutation/), with its own build directory:
                your working tree is never touched; the first mutant pays for a full build.
    --in-place  the repository itself, reusing its .build (fast; what CI uses on its fresh clone). Refused when a
                file the chosen mutants touch has uncommitted changes; every mutated file is restored on exit,
                interrupt included, and the tree is rebuilt clean at the end.

How the mutants are built:
    default     one at a time: applied, built, tested, restored.
    --schemata  all at once (schemata.py): every mutant is written into the worktree behind a run-time switch
                (`CLOUDRELEASE_MUTANT=<id>`), the tree is built once, the full suite must pass with no mutant
                switched on, and then each mutant costs only its tests (seconds instead of minutes). A mutant
                whose wrap does not compile, and every mutant the schemata find missed (unless --no-confirm),
                is then built alone the default way, so a `missed` always comes from the mutant's own build.

The tests run in widening stages and stop at the first failure: the mutant's first named suite (the rule's own),
the rest of its suites, then (unless --filtered-only) the whole suite.

Examples:
    python3 Tests/Mutation/mutate.py --check                       # validate the catalogue, build nothing
    python3 Tests/Mutation/mutate.py --schemata --release          # the whole catalogue (~45 min)
    python3 Tests/Mutation/mutate.py                               # the whole catalogue, one build each (hours)
    python3 Tests/Mutation/mutate.py --only M001,M017
    python3 Tests/Mutation/mutate.py --sample 4 --seed "$(git rev-parse HEAD)" --in-place   # CI's sample
    python3 Tests/Mutation/mutate.py --report results.jsonl        # the Markdown summary of a finished run

Exit status: 0 when no chosen mutant is missed, stale or uncompilable; 1 otherwise; 2 for bad arguments or a bad
catalogue (with the entry and why).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import schemata

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CATALOGUE = os.path.join(ROOT, "Tests", "Mutation", "catalogue.json")
FIELDS = ("id", "file", "find", "replace", "rule", "source", "suites")


def fail(message: str) -> None:
    print(f"mutate: {message}", file=sys.stderr)
    sys.exit(2)


def load(path: str, root: str) -> list[dict]:
    """The catalogue, checked: every field present, ids unique, each `find` once in its file (else stale)."""
    try:
        with open(path, encoding="utf-8") as handle:
            entries = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        fail(f"{path}: {error}")
    if not isinstance(entries, list):
        fail(f"{path}: expected a JSON array of mutations")
    seen = set()
    for index, entry in enumerate(entries):
        where = f"{path}: entry {index}"
        if not isinstance(entry, dict):
            fail(f"{where}: not an object")
        for field in FIELDS:
            if not isinstance(entry.get(field), str) or not entry[field]:
                fail(f"{where} ({entry.get('id', '?')}): `{field}` must be a non-empty string")
        if entry["id"] in seen:
            fail(f"{where}: id {entry['id']} appears twice")
        seen.add(entry["id"])
        if entry["find"] == entry["replace"]:
            fail(f"{where} ({entry['id']}): `replace` equals `find` (an equivalent mutant)")
        if not os.path.isfile(os.path.join(root, entry["file"])):
            fail(f"{where} ({entry['id']}): no file {entry['file']}")
    return entries


def occurrences(root: str, entry: dict) -> int:
    with open(os.path.join(root, entry["file"]), encoding="utf-8") as handle:
        return handle.read().count(entry["find"])


def sample(entries: list[dict], count: int, seed: str) -> list[dict]:
    """`count` entries chosen by `seed` (e.g. the commit's hash): the same seed picks the same mutants."""
    ranked = sorted(entries, key=lambda e: hashlib.sha256(f"{seed}\0{e['id']}".encode()).hexdigest())
    return sorted(ranked[:count], key=lambda e: e["id"])


def run(command: list[str], cwd: str, timeout: int, mutant: str = "") -> tuple[int, str]:
    """Exit status and the output; a timeout counts as a failure (status 124). `mutant` switches that mutant
    on in a schemata build (its processes' children inherit it)."""
    environment = {**os.environ, schemata.ENVIRONMENT: mutant}
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=environment)
        return done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as error:
        output = (error.stdout or b"") + (error.stderr or b"")
        text = output.decode(errors="replace") if isinstance(output, bytes) else str(output)
        return 124, text[-4000:] + f"\n(timed out after {timeout} s)"


class Tree:
    """Where mutants are applied and built: a worktree of HEAD, or the repository itself (--in-place)."""

    def __init__(self, in_place: bool, scratch: str, release: bool = False):
        self.in_place = in_place
        self.configuration = ["-c", "release", "-Xswiftc", "-enable-testing"] if release else []
        if in_place:
            self.path = ROOT
            self.build = []
        else:
            os.makedirs(scratch, exist_ok=True)
            self.path = os.path.join(scratch, "tree")
            if not os.path.isdir(self.path):
                subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", self.path, "HEAD"], check=True,
                               capture_output=True)
            else:
                # Without --force first: files an interrupted --schemata run left written, where HEAD's are the
                # same, stay as they are (and are not compiled again); write_schemata or pristine() settles them.
                head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True,
                                      check=True).stdout.strip()
                if subprocess.run(["git", "-C", self.path, "checkout", "--detach", head],
                                  capture_output=True).returncode != 0:
                    subprocess.run(["git", "-C", self.path, "checkout", "--detach", "--force", head], check=True,
                                   capture_output=True)
            # The tests read the provider documents from ../shared, beside the tree.
            shared = os.path.join(scratch, "shared")
            source = os.path.realpath(os.path.join(ROOT, "..", "shared"))
            if os.path.isdir(source) and not os.path.exists(shared):
                os.symlink(source, shared)
            self.build = ["--scratch-path", os.path.join(scratch, "build")]
        self.mutated: dict[str, str] = {}

    def apply(self, entry: dict) -> bool:
        path = os.path.join(self.path, entry["file"])
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if text.count(entry["find"]) != 1:
            return False
        self.mutated[path] = text
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text.replace(entry["find"], entry["replace"], 1))
        return True

    def restore(self) -> None:
        for path, text in self.mutated.items():
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        self.mutated.clear()

    def swift(self, *arguments: str, timeout: int, mutant: str = "") -> tuple[int, str]:
        return run(["swift", *arguments, *self.build, *self.configuration], self.path, timeout, mutant)

    def pristine(self) -> None:
        """The worktree back at HEAD exactly (schemata written into it are removed)."""
        self.restore()
        if not self.in_place:
            subprocess.run(["git", "-C", self.path, "checkout", "--force", "--", "."], check=True, capture_output=True)
            subprocess.run(["git", "-C", self.path, "clean", "-fdq", "--", "Sources"], check=True, capture_output=True)


def entry_result(entry: dict) -> dict:
    return {"id": entry["id"], "file": entry["file"], "rule": entry["rule"], "source": entry["source"]}


# How long each suite's run has taken so far in this run (seconds), to try the fastest first.
SUITE_SECONDS: dict[str, float] = {}


def test_stages(tree: Tree, entry: dict, full: bool, mutant: str = "") -> tuple[str, str, str] | None:
    """Run the mutant's tests in widening stages and stop at the first failure: its first named suite (the rule's
    own), then each of the rest alone, the fastest so far first, then (with `full`) everything. The stage and the
    failing test, or None if all pass."""
    first, *rest = entry["suites"].split("|")
    rest.sort(key=lambda suite: SUITE_SECONDS.get(suite, 0.0))
    stages = [("filtered", suite) for suite in [first, *rest]] + ([("full", None)] if full else [])
    for stage, suite in stages:
        # The whole suite skips what the filtered stages have already run and passed.
        filters = ["--filter", suite] if suite else ["--skip", entry["suites"]]
        started = time.monotonic()
        status, output = tree.swift("test", "--skip-build", *filters, timeout=7200, mutant=mutant)
        if suite:
            SUITE_SECONDS[suite] = time.monotonic() - started
        if status != 0:
            return "caught", stage, failing(output)
    return None


def test_one(tree: Tree, entry: dict, full: bool) -> dict:
    """One mutant built alone: applied, built, tested, restored."""
    started = time.monotonic()
    result = {**entry_result(entry), "engine": "build"}
    try:
        if not tree.apply(entry):
            return {**result, "result": "stale", "seconds": 0}
        status, output = tree.swift("build", "--build-tests", timeout=3600)
        if status != 0:
            return {**result, "result": "does-not-compile", "detail": output[-800:],
                    "seconds": round(time.monotonic() - started)}
        caught = test_stages(tree, entry, full)
        if caught:
            return {**result, "result": "caught", "stage": caught[1], "detail": caught[2],
                    "seconds": round(time.monotonic() - started)}
        return {**result, "result": "missed", "seconds": round(time.monotonic() - started)}
    finally:
        tree.restore()


def demote(mutant: str, levels: dict[str, str], alone: list[str]) -> None:
    """A mutant whose wrap failed moves on: from expression to statement, from statement to being built alone."""
    if levels[mutant] == "expression":
        levels[mutant] = "statement"
    else:
        del levels[mutant]
        alone.append(mutant)


def write_schemata(tree: Tree, by_file: dict[str, list[dict]], levels: dict[str, str], alone: list[str]) -> dict:
    """Write the mutants of `levels` into the pristine worktree at their levels (a mutant that cannot be wrapped
    at its level moves on: to `statement`, then to `alone`); each written file's wrap regions by its path."""
    wanted: dict[str, str] = {}  # path → the text it must have
    placed: dict[str, list] = {}
    for relative, entries in sorted(by_file.items()):
        path = os.path.join(tree.path, relative)
        source = subprocess.run(["git", "-C", tree.path, "show", f"HEAD:{relative}"], capture_output=True,
                                text=True, check=True).stdout
        tokens = schemata.tokenize(source)
        changes = [schemata.minimal_change(source, tokens, e["id"], e["find"], e["replace"])
                   for e in entries if e["id"] in levels]
        while True:
            wraps, refused = schemata.plan(source, changes, levels)
            if not refused:
                break
            for mutant in refused:
                demote(mutant, levels, alone)
            changes = [c for c in changes if c.mutant in levels]
        if not wraps:
            continue
        directory = os.path.dirname(relative)
        name = schemata.switch_name(directory)
        text, regions = schemata.render(source, wraps, name)
        wanted[os.path.realpath(path)] = text
        wanted[os.path.realpath(os.path.join(tree.path, directory, f"MutantSwitch_{name}.swift"))] = \
            schemata.switch_file(name)
        placed[os.path.realpath(path)] = regions
    # Write only what differs, so that an unchanged file keeps its time stamp and is not compiled again.
    changed = subprocess.run(["git", "-C", tree.path, "status", "--porcelain", "--untracked-files=all", "--",
                              "Sources"], capture_output=True, text=True, check=True).stdout.splitlines()
    for line in changed:
        path = os.path.realpath(os.path.join(tree.path, line[3:]))
        if path in wanted:
            continue
        if line.startswith("??"):
            os.remove(path)
        else:
            subprocess.run(["git", "-C", tree.path, "checkout", "--force", "--", line[3:]], check=True,
                           capture_output=True)
    for path, text in wanted.items():
        current = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                current = handle.read()
        if current != text:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    return placed


def build_schemata(tree: Tree, chosen: list[dict]) -> tuple[dict[str, str], list[str]]:
    """Write every chosen mutant into the worktree behind its run-time switch and build once, moving a mutant whose
    wrap does not compile to the next level (expression, statement, then built alone). The level of each mutant
    in the build, and the ids left to be built alone."""
    levels = {e["id"]: "expression" for e in chosen}
    alone: list[str] = []
    if tree.configuration:
        # Find each wrap's level in a debug build, whose failed attempts cost seconds rather than the minutes of
        # a whole-module release build; then build for release once at those levels.
        configuration, tree.configuration = tree.configuration, []
        try:
            levels, alone = build_schemata(tree, chosen)
        finally:
            tree.configuration = configuration
    by_file: dict[str, list[dict]] = {}
    for entry in chosen:
        by_file.setdefault(entry["file"], []).append(entry)
    for attempt in range(1, 41):
        placed = write_schemata(tree, by_file, levels, alone)
        status, output = tree.swift("build", "--build-tests", timeout=7200)
        counts = {level: sum(1 for v in levels.values() if v == level) for level in ("expression", "statement")}
        print(f"mutate: schemata build {attempt}: {counts['expression']} expression and {counts['statement']} "
              f"statement wraps, {len(alone)} to build alone: " + ("built" if status == 0 else "errors"), flush=True)
        if status == 0:
            return levels, alone
        blamed, unplaced = schemata.blame(output, placed)
        if not blamed:
            fail("the schemata build failed where no mutant was written:\n" + "\n".join(unplaced or [output[-2000:]]))
        for mutant in blamed:
            demote(mutant, levels, alone)
    fail("the schemata build did not converge in 40 attempts")
    return levels, alone


def run_schemata(tree: Tree, chosen: list[dict], full: bool, confirm: bool, record) -> None:
    """The chosen mutants through one schemata build; those it cannot hold, and (with `confirm`) those it finds
    missed, built alone. `record(entry, result)` receives each result."""
    levels, alone = build_schemata(tree, chosen)
    status, output = tree.swift("test", "--skip-build", timeout=7200)
    if status != 0:
        fail("with no mutant switched on, the schemata build fails the suite (a wrap changed the program):\n"
             + failing(output))
    print("mutate: with no mutant switched on, the schemata build passes the whole suite", flush=True)
    again: list[dict] = []
    for entry in chosen:
        if entry["id"] not in levels:
            continue
        started = time.monotonic()
        caught = test_stages(tree, entry, full, mutant=entry["id"])
        result = {**entry_result(entry), "engine": f"schemata ({levels[entry['id']]})",
                  "seconds": round(time.monotonic() - started)}
        if caught:
            record(entry, {**result, "result": "caught", "stage": caught[1], "detail": caught[2]})
        elif confirm:
            again.append(entry)
        else:
            record(entry, {**result, "result": "missed"})
    tree.pristine()
    for entry in chosen:
        if entry["id"] in alone or entry in again:
            record(entry, test_one(tree, entry, full))


def failing(output: str) -> str:
    """The first failing test's line, to say what caught the mutant."""
    for line in output.splitlines():
        if line.startswith("✘ Test ") and "recorded an issue" in line:
            return line[:300]
    for line in output.splitlines():
        if "error:" in line:
            return line[:300]
    return output.strip().splitlines()[-1][:300] if output.strip() else ""


def summary(results: list[dict]) -> dict:
    counts = {kind: sum(1 for r in results if r["result"] == kind)
              for kind in ("caught", "missed", "does-not-compile", "stale")}
    scored = counts["caught"] + counts["missed"]
    counts["score"] = round(100 * counts["caught"] / scored, 1) if scored else None
    return counts


def markdown(results: list[dict], commit: str, date: str) -> str:
    counts = summary(results)
    lines = [
        f"Last full run: {date}, commit `{commit}`: **{counts['score']} %** caught "
        f"({counts['caught']} caught, {counts['missed']} missed; {counts['does-not-compile']} did not compile, "
        f"{counts['stale']} stale).",
        "",
        "| mutant | rule (source) | result |",
        "| --- | --- | --- |",
    ]
    for r in results:
        if r["result"] == "caught":
            continue
        lines.append(f"| {r['id']} `{r['file']}` | {r['rule']} ({r['source']}) | {r['result']} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogue", default=CATALOGUE)
    parser.add_argument("--only", help="comma-separated ids")
    parser.add_argument("--sample", type=int, help="run this many mutants chosen by --seed")
    parser.add_argument("--seed", default="", help="what chooses the sample (CI: the commit's hash)")
    parser.add_argument("--in-place", action="store_true", help="mutate and build the repository itself")
    parser.add_argument("--scratch", default=os.path.join(ROOT, ".build-mutation"))
    parser.add_argument("--results", help="append one JSON line per mutant here")
    parser.add_argument("--filtered-only", action="store_true", help="skip the full suite (faster, may miss)")
    parser.add_argument("--check", action="store_true", help="validate the catalogue and exit")
    parser.add_argument("--report", metavar="RESULTS", help="print the Markdown summary of a results file")
    parser.add_argument("--schemata", action="store_true",
                        help="build every mutant once behind a run-time switch (schemata.py); misses are built alone")
    parser.add_argument("--release", action="store_true",
                        help="build and test optimised (-c release -Xswiftc -enable-testing): a slower build, "
                             "tests several times faster")
    parser.add_argument("--resume", action="store_true",
                        help="skip the mutants that the --results file already holds (an interrupted run goes on)")
    parser.add_argument("--no-confirm", action="store_true",
                        help="with --schemata: report its misses without building each alone to confirm")
    arguments = parser.parse_args()

    if arguments.report:
        with open(arguments.report, encoding="utf-8") as handle:
            results = [json.loads(line) for line in handle if line.strip()]
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        print(markdown(results, results[0].get("commit", commit) if results else commit,
                       results[0].get("date", "") if results else ""), end="")
        return 0

    entries = load(arguments.catalogue, ROOT)
    stale = [e["id"] for e in entries if occurrences(ROOT, e) != 1]
    if arguments.check:
        print(f"{len(entries)} mutations; {len(stale)} stale" + (f": {', '.join(stale)}" if stale else ""))
        return 1 if stale else 0
    chosen = entries
    if arguments.only:
        wanted = set(arguments.only.split(","))
        unknown = wanted - {e["id"] for e in entries}
        if unknown:
            fail(f"--only: no mutation {', '.join(sorted(unknown))} in the catalogue")
        chosen = [e for e in entries if e["id"] in wanted]
    if arguments.sample is not None:
        if arguments.sample < 1:
            fail("--sample must be at least 1")
        chosen = sample(chosen, arguments.sample, arguments.seed)

    if arguments.resume:
        if not arguments.results:
            fail("--resume needs --results, the file of the interrupted run")
        done = set()
        if os.path.exists(arguments.results):
            with open(arguments.results, encoding="utf-8") as handle:
                done = {json.loads(line)["id"] for line in handle if line.strip()}
        chosen = [e for e in chosen if e["id"] not in done]
    if arguments.schemata and arguments.in_place:
        fail("--schemata writes every mutant into the tree at once: it runs in the scratch worktree, not --in-place")
    if arguments.in_place:
        files = sorted({e["file"] for e in chosen})
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", *files], capture_output=True,
                               text=True).stdout.strip()
        if dirty:
            fail(f"--in-place: uncommitted changes in files a mutant touches:\n{dirty}")
    tree = Tree(arguments.in_place, arguments.scratch, release=arguments.release)

    def interrupted(number, _frame):
        tree.restore()
        sys.exit(128 + number)

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)

    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    date = datetime.date.today().isoformat()
    results = []

    def record(entry: dict, result: dict) -> None:
        result.update(commit=commit, date=date)
        results.append(result)
        stage = f" ({result['stage']})" if "stage" in result else ""
        print(f"[{len(results)}/{len(chosen)}] {entry['id']} {result['result']}{stage} in {result['seconds']} s"
              f" [{result.get('engine', 'build')}]: {entry['rule']}", flush=True)
        if arguments.results:
            with open(arguments.results, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(result, ensure_ascii=False) + "\n")

    try:
        if arguments.schemata:
            run_schemata(tree, chosen, full=not arguments.filtered_only, confirm=not arguments.no_confirm,
                         record=record)
        else:
            tree.pristine()
            for entry in chosen:
                record(entry, test_one(tree, entry, full=not arguments.filtered_only))
    finally:
        tree.restore()
        if arguments.schemata:
            tree.pristine()
        if arguments.in_place:
            # Leave the tree's products unmutated for whatever runs next.
            tree.swift("build", "--build-tests", timeout=3600)
    counts = summary(results)
    print(f"mutate: {counts['caught']} caught, {counts['missed']} missed, {counts['does-not-compile']} did not "
          f"compile, {counts['stale']} stale; score {counts['score']} %")
    for r in results:
        if r["result"] != "caught":
            print(f"  {r['id']} {r['result']}: {r['rule']} ({r['source']}) in {r['file']}")
    return 0 if counts["caught"] == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())

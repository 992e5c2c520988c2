#!/usr/bin/env python3
"""Times commands side by side, alternating them, and prints each one's median user, system and wall time.

The machine's speed drifts by up to 2x between hours and by 10-25% between minutes (Docs/Performance.md), so two
builds are compared only in alternating runs: a drift then falls on both. Each command is one shell-free argument
list, given as one quoted string; its output is discarded and it must succeed. From the repository root:

    python3 Benchmarks/scripts/alternate.py --runs 21 \\
        "/tmp/old/cloud-release replay /tmp/cloud-release-targets/trace-100000.csv --format json" \\
        ".build/release/cloud-release replay /tmp/cloud-release-targets/trace-100000.csv --format json"
"""
import argparse
import resource
import shlex
import statistics
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (default 11)")
    parser.add_argument("commands", nargs="+", help="a command line, quoted as one argument")
    arguments = parser.parse_args()
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        commands = [shlex.split(text) for text in arguments.commands]
    except ValueError as error:
        parser.error(f"a command is not one quoted line: {error}")
    if any(not command for command in commands):
        parser.error("a command is empty")
    samples = [[] for _ in commands]
    for _ in range(arguments.runs):
        for command, rows in zip(commands, samples):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            try:
                result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            except OSError as error:
                parser.error(f"cannot run {shlex.join(command)}: {error.strerror}")
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if result.returncode != 0:
                sys.exit(f"{shlex.join(command)} exited with {result.returncode}: "
                         f"{result.stderr.decode(errors='replace')[-500:]}")
            rows.append((after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime, wall))
    print(f"Medians of {arguments.runs} alternating runs.\n")
    print("| command | user | system | wall |\n| --- | ---: | ---: | ---: |")
    for command, rows in zip(commands, samples):
        user, system, wall = (statistics.median(row[k] for row in rows) * 1000 for k in range(3))
        print(f"| `{shlex.join(command)}` | {user:.1f} ms | {system:.1f} ms | {wall:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

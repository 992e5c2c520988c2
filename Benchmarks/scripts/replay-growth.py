#!/usr/bin/env python3
"""Measures how replay scales with the fleet: time per record and memory per instance, at several sizes.

Builds nothing: run `swift build -c release --product cloud-release --static-swift-stdlib
--experimental-lto-mode=full` first (the binary as it is shipped, Docs/Performance.md, "A statically linked Swift
runtime", "Link-time optimisation"). Writes Docs/replay-growth.csv and
Docs/replay-growth.svg (a plot drawn with the standard library only). Usage, from the repository root:

    python3 Benchmarks/scripts/replay-growth.py [--sizes 10000,100000,1000000,3000000] [--jobs 1]
"""
import argparse
import json
import os
import subprocess
import tempfile

BINARY = ".build/release/cloud-release"


def measure(path, jobs):
    """Wall seconds (the replay's own), peak RSS in KB (from /usr/bin/time), and the summary."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", BINARY, "replay", path, "--jobs", str(jobs), "--format", "json"],
        capture_output=True, text=True, check=True)
    rss_kb = int(result.stderr.strip().splitlines()[-1])
    summary = json.loads(result.stdout)
    return summary["wallSeconds"], rss_kb, summary


def svg(rows, path):
    """Two panels: nanoseconds per record and bytes per instance, against instances (log scale)."""
    import math
    width, height, pad = 760, 320, 60
    panel = (width - 3 * pad) // 2
    xs = [math.log10(row["instances"]) for row in rows]
    x0, x1 = min(xs), max(xs)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">', f'<rect width="{width}" height="{height}" fill="white"/>']
    for index, (key, title) in enumerate([("ns_per_record", "ns per record"),
                                          ("bytes_per_instance", "bytes per instance (above a tiny replay)")]):
        left = pad + index * (panel + pad)
        top, bottom = 40, height - 50
        values = [row[key] for row in rows]
        top_value = max(values) * 1.2
        parts.append(f'<text x="{left}" y="24" font-weight="bold">{title}</text>')
        parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left + panel}" y2="{bottom}" stroke="black"/>')
        parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="black"/>')
        points = []
        for row, x in zip(rows, xs):
            px = left + (x - x0) / max(1e-9, x1 - x0) * panel
            py = bottom - row[key] / top_value * (bottom - top)
            points.append((px, py))
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="#1f6feb"/>')
            parts.append(f'<text x="{px:.1f}" y="{py - 8:.1f}" text-anchor="middle">{row[key]:,.0f}</text>')
            parts.append(f'<text x="{px:.1f}" y="{bottom + 16}" text-anchor="middle">{row["instances"]:,}</text>')
        parts.append('<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        parts.append(f'<text x="{left + panel / 2}" y="{height - 12}" text-anchor="middle">instances (log scale)</text>')
    parts.append("</svg>")
    with open(path, "w") as out:
        out.write("\n".join(parts) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000,3000000")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        tiny = os.path.join(scratch, "tiny.csv")
        subprocess.run([BINARY, "generate-trace", "--instances", "10", "--output", tiny], check=True)
        _, base_kb, _ = measure(tiny, args.jobs)
        for size in sizes:
            trace = os.path.join(scratch, f"trace-{size}.csv")
            subprocess.run([BINARY, "generate-trace", "--instances", str(size), "--seed", "7", "--output", trace],
                           check=True)
            wall, rss_kb, summary = measure(trace, args.jobs)
            os.remove(trace)
            rows.append({
                "instances": size, "records": summary["records"], "wall_s": round(wall, 3), "peak_rss_mb": rss_kb // 1024,
                "ns_per_record": wall * 1e9 / summary["records"],
                "bytes_per_instance": max(0, rss_kb - base_kb) * 1024 / size,
            })
            print(rows[-1], flush=True)
    with open("Docs/replay-growth.csv", "w") as out:
        out.write("instances,records,wall_s,peak_rss_mb,ns_per_record,bytes_per_instance\n")
        for row in rows:
            out.write(f'{row["instances"]},{row["records"]},{row["wall_s"]},{row["peak_rss_mb"]},'
                      f'{row["ns_per_record"]:.0f},{row["bytes_per_instance"]:.0f}\n')
    svg(rows, "Docs/replay-growth.svg")


if __name__ == "__main__":
    main()

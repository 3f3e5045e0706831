"""Run every bench/bench_*.py in turn (``make bench``) and show their tables.

Each benchmark runs in its own process with this interpreter, its output passed through as
it comes; each writes its JSON to bench/out/. Extra arguments (e.g. ``--quick``) are
passed to every benchmark. Exit status: the number of benchmarks that failed (0 = all ran).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    failed: list[str] = []
    for script in scripts:
        print(f"\n=== {script.name} " + "=" * max(0, 60 - len(script.name)), flush=True)
        t0 = time.perf_counter()
        code = subprocess.run([sys.executable, str(script), *sys.argv[1:]],
                              cwd=HERE.parent, check=False).returncode
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"=== {script.name}: {status} in {time.perf_counter() - t0:.1f} s", flush=True)
        if code:
            failed.append(script.name)
    print(f"\n{len(scripts) - len(failed)}/{len(scripts)} benchmarks ran"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return len(failed)


if __name__ == "__main__":
    sys.exit(main())

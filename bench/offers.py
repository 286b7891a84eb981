"""Speed of the offer checker: a typical ad, 20,000-character pathological inputs, and the
labelled dev set as a batch (what ``jaga check-offer --jsonl`` does per line).

    .venv/bin/python -m bench.offers --runs 5

Prints the median time per input over ``--runs`` runs (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from bench.startup import machine
from bot.offer_data import load_lexicon
from bot.reference import load_gazetteer
from bot.services.offers import check_offer
from bot.settings import PROJECT_ROOT

TYPICAL = ("Dicari CS untuk Kamboja, gaji 15 juta/bulan, tiket pesawat ditanggung, tanpa "
           "pengalaman, visa turis dulu nanti diurus, berangkat minggu ini, hubungi telegram "
           "@hr_cs88 atau wa +855 12 345 678.")
PATHOLOGICAL = {
    "ad repeated to 20,000 chars": (TYPICAL * 200)[:20000],
    "'a' x 20,000": "a" * 20000,
    "'+855 ' x 4,000": "+855 " * 4000,
    "'1,000,000 ' x 2,000": "1,000,000 " * 2000,
    "'easy job ' x 2,500": "easy job " * 2500,
    "Thai letter x 20,000": "ก" * 20000,
}


def median_ms(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    lexicon = load_lexicon(gazetteer=load_gazetteer())
    print(f"typical ad ({len(TYPICAL)} chars): "
          f"{median_ms(lambda: check_offer(TYPICAL, lexicon), args.runs * 10):.1f} ms")
    for name, text in PATHOLOGICAL.items():
        print(f"{name}: {median_ms(lambda t=text: check_offer(t, lexicon), args.runs):.0f} ms")
    rows = [json.loads(line) for line in
            (PROJECT_ROOT / "tests/offers/dev.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    batch = median_ms(lambda: [check_offer(r["text"], lexicon) for r in rows], args.runs)
    print(f"dev set, {len(rows)} offers: {batch:.0f} ms in all, "
          f"{batch / len(rows):.2f} ms per offer")


if __name__ == "__main__":
    main()

"""HTTP load driver: a realistic mix of requests against a running deployment, issued on a fixed schedule.

    .venv/bin/python bench/load.py --credentials var/bench/load.json --rate 20 --duration 60
    .venv/bin/python bench/load.py --credentials var/bench/load.json --ramp [--p95-ms 500]
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --token prk_… --username head_gpo --password … \\
        --rate 20 --duration 60

`bench/load_setup.py` starts such a deployment (gunicorn on PostgreSQL with demo data) and writes the credentials
file: the base URL, a bearer token and a staff sign-in, and the tracking codes of some appeals.

Open model: request i is due at start + i / rate (or at Poisson-distributed times with --poisson), whether or not
earlier requests have answered, so a slow server faces a growing queue as it would in production instead of a
client that politely waits. Each latency is measured from the moment the request was due, so time spent waiting
for a free client thread counts (no coordinated omission); --threads bounds the requests in flight.

The mix (weights, see MIX): citizens following their appeal on the public status page (each from an address of
its own, in X-Forwarded-For, as behind the reverse proxy: set TRUSTED_PROXIES to the driver's address); staff
reading the appeal list and an appeal as pages and through the API; search by a word (page and API); and
registrations through the API, each with an Idempotency-Key.

Reported: requests per second achieved, p50 / p95 / p99 / max latency per endpoint, and every response that is not
2xx or 3xx and every connection error (the first few of each kind printed). Exit status 1 when there was any
error. --ramp runs steps of increasing rate (--ramp-start, --ramp-factor, --step-seconds) and reports the
capacity: the highest rate with 0 errors, p95 under --p95-ms, and at least 95 % of the rate achieved.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

# (name, weight): the share of each kind of request in the mix.
MIX: list[tuple[str, int]] = [
    ("public_status", 25),
    ("api_list", 15),
    ("api_detail", 15),
    ("api_search", 8),
    ("page_list", 10),
    ("page_detail", 10),
    ("page_search", 5),
    ("api_create", 12),
]
SEARCH_WORDS = ["заработной", "пенсии", "жилья", "проверку", "Астана", "Алматы", "суд", "выплата"]


@dataclass
class Target:
    url: str
    token: str
    username: str
    password: str
    tracking_codes: list[str]
    region_kato: str
    topic_code: str


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[name].append(seconds)
            if error is not None:
                self.errors.append((name, error))


class Client:
    """Everything one worker thread needs: its own HTTP connections, the staff session's cookies, appeal ids."""

    def __init__(self, target: Target, cookies: Any, appeal_ids: list[int]) -> None:
        self.target = target
        self.cookies = cookies
        self.appeal_ids = appeal_ids
        self.local = threading.local()

    def session(self) -> requests.Session:
        session = getattr(self.local, "session", None)
        if session is None:
            session = requests.Session()
            session.cookies.update(self.cookies)
            adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=1)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self.local.session = session
        return session

    def api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.target.token}"}

    def request(self, name: str, rng: random.Random) -> requests.Response:
        session, base = self.session(), self.target.url
        get = session.get
        timeout = 60
        if name == "public_status":
            address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            code = rng.choice(self.target.tracking_codes)
            return get(
                f"{base}/appeals/public/status/",
                params={"code": code},
                headers={"X-Forwarded-For": address},
                timeout=timeout,
            )
        if name == "api_list":
            return get(
                f"{base}/api/v1/appeals", params={"view": "all"}, headers=self.api_headers(), timeout=timeout
            )
        if name == "api_detail":
            return get(
                f"{base}/api/v1/appeals/{rng.choice(self.appeal_ids)}",
                headers=self.api_headers(),
                timeout=timeout,
            )
        if name == "api_search":
            return get(
                f"{base}/api/v1/appeals",
                params={"q": rng.choice(SEARCH_WORDS)},
                headers=self.api_headers(),
                timeout=timeout,
            )
        if name == "page_list":
            return get(f"{base}/appeals/", timeout=timeout, allow_redirects=False)
        if name == "page_detail":
            return get(
                f"{base}/appeals/{rng.choice(self.appeal_ids)}/", timeout=timeout, allow_redirects=False
            )
        if name == "page_search":
            return get(f"{base}/appeals/", params={"q": rng.choice(SEARCH_WORDS)}, timeout=timeout)
        if name == "api_create":
            return session.post(
                f"{base}/api/v1/appeals",
                json=create_payload(self.target, rng),
                headers={**self.api_headers(), "Idempotency-Key": str(uuid.uuid4())},
                timeout=timeout,
            )
        raise ValueError(name)


def create_payload(target: Target, rng: random.Random) -> dict[str, Any]:
    n = rng.randrange(1_000_000)
    return {
        "kind": "statement",
        "applicant": {
            "type": "individual",
            "name": f"Нагрузочный Тест {n}",
            "language": "ru",
            "consent_personal_data": True,
        },
        "region": target.region_kato,
        "topic": target.topic_code,
        "subject": f"Нагрузочное обращение {n}",
        "text": "Прошу проверить соблюдение трудового законодательства работодателем.",
        "received_via": "email",
    }


def sign_in(target: Target) -> requests.cookies.RequestsCookieJar:
    session = requests.Session()
    page = session.get(f"{target.url}/accounts/login/", timeout=30)
    page.raise_for_status()
    token = str(session.cookies.get("csrftoken", ""))
    response = session.post(
        f"{target.url}/accounts/login/",
        data={"username": target.username, "password": target.password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{target.url}/accounts/login/", "X-CSRFToken": token},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
        sys.exit(
            f"could not sign in as {target.username}: {response.status_code} → {response.headers.get('Location')}"
        )
    return session.cookies


def appeal_ids(target: Target) -> list[int]:
    response = requests.get(
        f"{target.url}/api/v1/appeals",
        params={"view": "all"},
        headers={"Authorization": f"Bearer {target.token}"},
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    ids = [int(item["id"]) for item in items]
    if not ids:
        sys.exit(
            "the deployment has no appeals the token's user may see: seed some first (bench/load_setup.py)"
        )
    return ids


def run_step(client: Client, rate: float, duration: float, threads: int, seed: int, poisson: bool) -> Stats:
    """Issue requests at `rate` per second for `duration` seconds; returns when every request has answered."""
    stats = Stats()
    names = [name for name, _ in MIX]
    weights = [weight for _, weight in MIX]
    schedule_rng = random.Random(seed)
    total = max(1, int(rate * duration))

    def one(name: str, due: float, request_seed: int) -> None:
        rng = random.Random(request_seed)
        error: str | None = None
        try:
            response = client.request(name, rng)
            if not 200 <= response.status_code < 400:
                error = f"HTTP {response.status_code}: {response.text[:200]!r}"
            elif "/accounts/" in response.headers.get("Location", ""):
                # A staff page sending the driver to sign in (or to a second factor) served nothing.
                error = f"HTTP {response.status_code}: redirected to {response.headers['Location']}"
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        stats.add(name, time.perf_counter() - due, error)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        start = time.perf_counter() + 0.2
        due = start
        for i in range(total):
            due = due + schedule_rng.expovariate(rate) if poisson else start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            name = schedule_rng.choices(names, weights)[0]
            pool.submit(one, name, due, schedule_rng.randrange(2**32))
    return stats


def percentile(values: list[float], share: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))
    return ordered[index]


def summary(stats: Stats, rate: float, elapsed: float) -> dict[str, Any]:
    every = [s for values in stats.latencies.values() for s in values]
    rows = {}
    for name, _ in MIX:
        values = stats.latencies.get(name, [])
        rows[name] = {
            "count": len(values),
            "errors": sum(1 for n, _ in stats.errors if n == name),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1) if values else math.nan,
        }
    return {
        "target_rate": rate,
        "requests": len(every),
        "achieved_rate": round(len(every) / elapsed, 2) if elapsed else 0.0,
        "errors": len(stats.errors),
        "p50_ms": round(percentile(every, 0.50) * 1000, 1),
        "p95_ms": round(percentile(every, 0.95) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "mean_ms": round(statistics.fmean(every) * 1000, 1) if every else math.nan,
        "endpoints": rows,
    }


def print_summary(result: dict[str, Any], stats: Stats) -> None:
    print(
        f"target {result['target_rate']:g} req/s, achieved {result['achieved_rate']:g} req/s, "
        f"{result['requests']} requests, {result['errors']} errors; "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms"
    )
    print(
        f"  {'endpoint':<14} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for name, row in result["endpoints"].items():
        print(
            f"  {name:<14} {row['count']:>6} {row['errors']:>6} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['p99_ms']:>8} {row['max_ms']:>8}"
        )
    if stats.errors:
        kinds = Counter((name, error.split(":", 1)[0]) for name, error in stats.errors)
        print("  errors:")
        for (name, kind), count in kinds.most_common():
            example = next(e for n, e in stats.errors if n == name and e.startswith(kind))
            print(f"    {count:>5} × {name}: {example[:300]}")


def measure(
    client: Client, args: argparse.Namespace, rate: float, duration: float
) -> tuple[dict[str, Any], Stats]:
    began = time.perf_counter()
    stats = run_step(client, rate, duration, args.threads, args.seed, args.poisson)
    # Achieved rate over the scheduled window plus the time the last answers took.
    elapsed = time.perf_counter() - began - 0.2
    return summary(stats, rate, max(duration, elapsed)), stats


def ramp(client: Client, args: argparse.Namespace) -> tuple[float | None, list[dict[str, Any]]]:
    """Raise the rate step by step until a step has an error, a p95 over the bound, or falls behind its rate."""
    rate, best, steps = args.ramp_start, None, []
    while rate <= args.ramp_max:
        result, stats = measure(client, args, rate, args.step_seconds)
        steps.append(result)
        print_summary(result, stats)
        ok = (
            result["errors"] == 0
            and result["p95_ms"] <= args.p95_ms
            and result["achieved_rate"] >= 0.95 * rate
        )
        print(
            f"  → {'within' if ok else 'beyond'} the bound (p95 ≤ {args.p95_ms} ms, 0 errors, ≥ 95 % of the rate)\n"
        )
        if not ok:
            break
        best = rate
        rate = round(rate * args.ramp_factor, 1)
    return best, steps


def load_target(args: argparse.Namespace) -> Target:
    values: dict[str, Any] = {}
    if args.credentials:
        values = json.loads(Path(args.credentials).read_text())
    for key in ("url", "token", "username", "password"):
        if getattr(args, key):
            values[key] = getattr(args, key)
    missing = [k for k in ("url", "token", "username", "password") if not values.get(k)]
    if missing:
        sys.exit(f"missing {', '.join(missing)}: give --credentials or the options")
    return Target(
        url=str(values["url"]).rstrip("/"),
        token=values["token"],
        username=values["username"],
        password=values["password"],
        tracking_codes=list(values.get("tracking_codes") or ["XXXX-XXXX-XXXX"]),
        region_kato=values.get("region_kato", "710000000"),
        topic_code=values.get("topic_code", "labour"),
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--credentials", help="JSON written by bench/load_setup.py (url, token, sign-in, codes)."
    )
    parser.add_argument("--url", help="Base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--token", help="API bearer token of a user who may view and register appeals.")
    parser.add_argument("--username", help="Staff sign-in for the pages (no second factor).")
    parser.add_argument("--password")
    parser.add_argument("--rate", type=float, default=10, help="Requests per second (default %(default)s).")
    parser.add_argument("--duration", type=float, default=60, help="Seconds (default %(default)s).")
    parser.add_argument(
        "--threads", type=int, default=64, help="Requests in flight at most (default %(default)s)."
    )
    parser.add_argument(
        "--poisson", action="store_true", help="Poisson arrivals instead of evenly spaced ones."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ramp", action="store_true", help="Find the capacity instead of one run.")
    parser.add_argument("--ramp-start", type=float, default=5)
    parser.add_argument("--ramp-factor", type=float, default=1.5)
    parser.add_argument("--ramp-max", type=float, default=1000)
    parser.add_argument("--step-seconds", type=float, default=20)
    parser.add_argument(
        "--p95-ms", type=float, default=500, help="The latency bound of --ramp (default %(default)s)."
    )
    parser.add_argument("--json", help="Write the results to this file.")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    target = load_target(args)
    client = Client(target, sign_in(target), appeal_ids(target))
    mix = ", ".join(f"{name} {weight}" for name, weight in MIX)
    print(
        f"{target.url}: mix {mix}; {args.threads} threads, {'Poisson' if args.poisson else 'even'} arrivals"
    )
    record: dict[str, Any]
    errors: int
    if args.ramp:
        best, steps = ramp(client, args)
        record = {"capacity": best, "steps": steps, "p95_bound_ms": args.p95_ms}
        if best is None:
            print("capacity: below the first step's rate")
        else:
            bound = (
                " (the ramp's maximum: at least that)"
                if len(steps) and steps[-1]["target_rate"] == best
                else ""
            )
            print(f"capacity: {best:g} req/s{bound}; confirm with --rate {best:g} --duration 60")
        errors = 0
    else:
        result, stats = measure(client, args, args.rate, args.duration)
        print_summary(result, stats)
        record = result
        errors = result["errors"]
    record["command"] = " ".join(sys.argv)
    if args.json:
        Path(args.json).write_text(json.dumps(record, ensure_ascii=False, indent=2))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

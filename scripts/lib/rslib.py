"""Shared helpers for the reliability scripts (crash-test, concurrency-test, tamper-test,
disk-full-test). Python 3 standard library only.

- `binary()` finds the revshare executable: $REVSHARE_BIN, else it builds the release product with
  the default scratch path and uses .build/release/revshare.
- `revshare(...)` runs one command against a database; `sql(...)` asks the sqlite3 CLI.
- `SplitMix64` is the seeded generator every script draws from, so a printed seed replays a run.
- `write_agreements` / `generate_usage` / `generate_payments` write data in the shape of
  scripts/bench-import's generator (partners × models × regions per day, 6-decimal revenues).
"""
import datetime
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "Samples")

PARTNERS = ["aws", "azure", "google-cloud", "databricks", "groq", "nvidia", "dell", "snowflake"]
MODELS = ["llama-3.1-8b-instruct", "llama-3.1-70b-instruct", "llama-3.1-405b-instruct", "llama-3.2-1b-instruct",
          "llama-3.2-3b-instruct", "llama-3.2-11b-vision-instruct", "llama-3.2-90b-vision-instruct",
          "llama-3.3-70b-instruct", "llama-4-scout-17b-16e-instruct", "llama-4-maverick-17b-128e-instruct",
          "llama-guard-3-8b", "llama-guard-4-12b", "llama-3.1-nemotron-70b"]
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1", "ap-northeast-1",
           "sa-east-1", "ca-central-1"]
USAGE_HEADER = "usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue\n"

# Exit codes (SPEC §7).
EXIT_OK, EXIT_VERIFY, EXIT_USAGE, EXIT_INVALID, EXIT_NOTFOUND, EXIT_INTERNAL, EXIT_IO = 0, 1, 64, 65, 66, 70, 74


class SplitMix64:
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform in [0, n) (n < 2^32 keeps the modulo bias negligible)."""
        return self.next() % n

    def uniform(self, lo, hi):
        return lo + (hi - lo) * (self.next() >> 11) / float(1 << 53)

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


def default_seed():
    """A fresh seed when none is given: printed by every script so the run replays."""
    return int.from_bytes(os.urandom(4), "big")


def fail(name, message):
    print(f"{name}: FAIL: {message}", flush=True)


def need(tool, package):
    if shutil.which(tool) is None:
        sys.exit(f"`{tool}` is missing; install it with: apt-get install {package}")


def binary():
    """$REVSHARE_BIN, else `swift build -c release --product revshare` and .build/release/revshare."""
    need("sqlite3", "sqlite3")
    path = os.environ.get("REVSHARE_BIN")
    if path:
        if not os.access(path, os.X_OK):
            sys.exit(f"REVSHARE_BIN={path}: not an executable file")
        return os.path.abspath(path)
    need("swift", "the Swift toolchain")
    print("building: swift build -c release --product revshare (set REVSHARE_BIN to skip)", flush=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "revshare"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "revshare")


def environment(extra=None):
    env = dict(os.environ)
    env.pop("REVSHARE_DB", None)
    env["NO_COLOR"] = "1"
    if extra:
        env.update(extra)
    return env


def revshare(bin_path, db, *args, check=False, timeout=600, env=None, cwd=None):
    """Runs `revshare --db DB args…`; returns the CompletedProcess (text)."""
    cmd = [bin_path, "--db", db] + [str(a) for a in args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=environment(env), cwd=cwd)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return proc


def sql(db, query, check=True):
    """One query through the sqlite3 CLI; stdout without its final newline."""
    proc = subprocess.run(["sqlite3", "-batch", db, query], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"sqlite3 {db} {query!r}: {proc.stderr.strip()}")
    return proc.stdout.rstrip("\n")


def count(db, table, where=""):
    return int(sql(db, f"SELECT count(*) FROM {table} {where}"))


def counts(db, tables):
    query = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    return dict(zip(tables, (int(v) for v in sql(db, query).split("|"))))


def content_digest(db):
    """The logical content of every table (sqlite3 .sha3sum), independent of WAL layout."""
    return sql(db, ".sha3sum")


def remove_db(db):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def copy_db(src, dst):
    """Copies a database that no process has open (main file and any WAL)."""
    remove_db(dst)
    shutil.copyfile(src, dst)
    if os.path.exists(src + "-wal"):
        shutil.copyfile(src + "-wal", dst + "-wal")


def checkpoint(db):
    """Folds the WAL into the main file so a plain copy of the file is the whole database."""
    sql(db, "PRAGMA wal_checkpoint(TRUNCATE);")


def agreements_yaml(partners=PARTNERS):
    out = ["partners:"]
    for p in partners:
        out += [f"  - id: {p}", f"    name: {p.title()}", "    currency: USD", "    payment_terms_days: 45",
                "    agreements:", f"      - id: {p.upper()}-2024", "        effective_from: 2024-01",
                "        basis: revenue_percent", "        tiers:", "          - up_to: 1000000",
                "            rate: 0.10", "          - rate: 0.12"]
    return "\n".join(out) + "\n"


def write_agreements(path, partners=PARTNERS):
    with open(path, "w") as f:
        f.write(agreements_yaml(partners))
    return path


def generate_usage(path, rows, seed, partners=PARTNERS, day0=datetime.date(2024, 1, 1)):
    """`rows` usage rows cycling partner × model × region within a day, then the next day.
    Deterministic for a seed; returns {partner: row count}."""
    rng = SplitMix64(seed)
    per_day = len(partners) * len(MODELS) * len(REGIONS)
    per_partner = {p: 0 for p in partners}
    dates = {}
    with open(path, "w", newline="") as f:
        f.write(USAGE_HEADER)
        chunk = []
        for i in range(rows):
            d, k = divmod(i, per_day)
            p, rest = divmod(k, len(MODELS) * len(REGIONS))
            m, r = divmod(rest, len(REGIONS))
            date = dates.get(d)
            if date is None:
                date = dates[d] = (day0 + datetime.timedelta(days=d)).isoformat()
            inp = 1_000 + rng.below(5_000_000)
            outp = 1_000 + rng.below(2_000_000)
            revenue = f"{rng.below(5_000)}.{rng.below(1_000_000):06d}"
            chunk.append(f"{date},{partners[p]},{MODELS[m]},{REGIONS[r]},{1 + rng.below(50_000)},{inp},{outp},{revenue}\n")
            per_partner[partners[p]] += 1
            if len(chunk) >= 10_000:
                f.write("".join(chunk))
                chunk.clear()
        f.write("".join(chunk))
    return per_partner


def generate_payments(path, count_, seed, partners=PARTNERS, day0=datetime.date(2024, 1, 5)):
    """`count_` payments spread over the partners; returns {partner: (count, total minor units)}."""
    rng = SplitMix64(seed)
    totals = {}
    with open(path, "w") as f:
        f.write("payment_id,partner,received_on,amount,currency,reference\n")
        for i in range(count_):
            p = partners[i % len(partners)]
            day = (day0 + datetime.timedelta(days=i // len(partners))).isoformat()
            cents = 100 + rng.below(10_000_000)
            f.write(f"PAY-{seed:08x}-{i:05d},{p},{day},{cents // 100}.{cents % 100:02d},USD,\n")
            n, t = totals.get(p, (0, 0))
            totals[p] = (n + 1, t + cents)
    return totals


def samples_usage_files():
    """Samples/usage in the demo's import order: by the first period in the name, then name."""
    import re

    def first_period(name):
        m = re.search(r"(\d{4})-(\d{2})", name)
        if m:
            return f"{m.group(1)}-{m.group(2)}"
        m = re.search(r"(\d{4})Q([1-4])", name)
        if m:
            return f"{m.group(1)}-{(int(m.group(2)) - 1) * 3 + 1:02d}"
        return "9999-99"

    names = [n for n in os.listdir(os.path.join(SAMPLES, "usage")) if n.endswith(".csv")]
    names.sort(key=lambda n: (first_period(n), n))
    return [os.path.join(SAMPLES, "usage", n) for n in names]


def build_samples_db(bin_path, db, upto_steps):
    """Builds books from Samples/ with the CLI, step by step as the demo does, stopping after
    `upto_steps` (a list of step names it runs, in order): 'load', 'usage', 'payments', 'meter',
    'close 2025-01', 'restate', 'close 2025-02', 'close 2025-03'."""
    remove_db(db)
    revshare(bin_path, db, "init", check=True)
    for step in upto_steps:
        if step == "load":
            revshare(bin_path, db, "agreements", "load", os.path.join(SAMPLES, "agreements.yaml"), check=True)
        elif step == "usage":
            for f in samples_usage_files():
                revshare(bin_path, db, "import", "usage", f, check=True)
        elif step == "payments":
            revshare(bin_path, db, "import", "payments", os.path.join(SAMPLES, "payments.csv"), check=True)
        elif step == "meter":
            revshare(bin_path, db, "import", "meter", os.path.join(SAMPLES, "meter.csv"), check=True)
        elif step == "restate":
            revshare(bin_path, db, "import", "usage", "--restate",
                     os.path.join(SAMPLES, "restatements", "aws-2025-01-restated.csv"), check=True)
        elif step.startswith("close "):
            revshare(bin_path, db, "close", step.split()[1], check=True)
        else:
            raise ValueError(step)
    checkpoint(db)


class Stopwatch:
    def __init__(self):
        self.start = time.monotonic()

    def seconds(self):
        return time.monotonic() - self.start


def indent(text, prefix="      "):
    return "\n".join(prefix + line for line in text.rstrip("\n").splitlines())

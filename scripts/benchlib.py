"""Shared parts of the benchmark scripts (scripts/bench, scripts/bench-import). Python 3 standard
library only; installs nothing.

- `revshare_binary()`: $REVSHARE_BIN, else a release build at .build/release/revshare.
- `run()` / `Sample`: one process, wall seconds and peak RSS (the child's own rusage via wait4).
- `paired()`: two commands alternated (ABBA order) several times; median of the paired ratios.
- `Generator`: scripts/bench-gen.c (compiled here; Python is far too slow for ~20M lines) writes
  the seeded files: the import-benchmark usage file (8 partners × 13 models × 9 regions a day,
  day after day), one-month usage files for close (synthetic regions) and for reconcile
  (synthetic models, with a meter file of the same keys), payments. `agreements_yaml()` here.
- `Workspace`: a scratch directory with the generator, agreements and fresh revshare databases.
- SQL trace: scripts/bench-sqltrace.c, an LD_PRELOAD shim that records the SQL a command
  prepares, so query plans are checked on the queries the code really runs.

The machine is shared and noisy: read the ratios of paired runs, not the seconds.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(ROOT, "scripts")

# The same lists as scripts/bench-gen.c, which writes the data; here they serve the agreements.
PARTNERS = ["aws", "azure", "google-cloud", "databricks", "groq", "nvidia", "dell", "snowflake"]
MODELS = ["llama-3.1-8b-instruct", "llama-3.1-70b-instruct", "llama-3.1-405b-instruct", "llama-3.2-1b-instruct",
          "llama-3.2-3b-instruct", "llama-3.2-11b-vision-instruct", "llama-3.2-90b-vision-instruct",
          "llama-3.3-70b-instruct", "llama-4-scout-17b-16e-instruct", "llama-4-maverick-17b-128e-instruct",
          "llama-guard-3-8b", "llama-guard-4-12b", "llama-3.1-nemotron-70b"]


# ---------------------------------------------------------------------------------------------
# Tools

class Missing(Exception):
    """A tool a row needs is not installed: the row is skipped with this message."""

    def __init__(self, tool, package):
        super().__init__(f"`{tool}` is missing; install it with: apt-get install {package}")
        self.tool, self.package = tool, package


def require(tool, package):
    if shutil.which(tool) is None:
        raise Missing(tool, package)
    return shutil.which(tool)


def revshare_binary(build=True, log=print):
    """$REVSHARE_BIN when set; else `swift build -c release --product revshare` (unless build is
    False) and .build/release/revshare."""
    env = os.environ.get("REVSHARE_BIN")
    if env:
        if not (os.path.isfile(env) and os.access(env, os.X_OK)):
            sys.exit(f"REVSHARE_BIN={env} is not an executable file")
        return os.path.abspath(env)
    binary = os.path.join(ROOT, ".build", "release", "revshare")
    if build:
        require("swift", "the Swift toolchain (https://www.swift.org/install/)")
        log("building the release binary: swift build -c release --product revshare …")
        subprocess.run(["swift", "build", "-c", "release", "--product", "revshare"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    if not os.path.exists(binary):
        sys.exit(f"{binary} does not exist; build it or set REVSHARE_BIN")
    return binary


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


# ---------------------------------------------------------------------------------------------
# Timing

class Sample:
    """One process run: wall seconds, peak RSS in KiB, exit status, its stderr (tail)."""

    def __init__(self, wall, rss_kib, status, stderr):
        self.wall, self.rss_kib, self.status, self.stderr = wall, rss_kib, status, stderr

    @property
    def rss_mib(self):
        return self.rss_kib / 1024


def run(cmd, stdin_text=None, stdout=None, env=None, check=True, cwd=None):
    """Runs `cmd` once. Wall time is measured around the process; peak RSS is the child's own
    `ru_maxrss` from wait4 (what /usr/bin/time -v reports, without a wrapper process). stdout
    goes to /dev/null unless a path is given."""
    out = open(stdout, "w") if stdout else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    stdin = subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=err, env=env, cwd=cwd)
        if stdin_text is not None:
            proc.stdin.write(stdin_text.encode())
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    finally:
        err.close()
        if stdout:
            out.close()
    sample = Sample(wall, usage.ru_maxrss, proc.returncode, stderr)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}: {stderr[-2000:]}")
    return sample


class Paired:
    """Paired runs of A (the path) and B (its reference)."""

    def __init__(self, a, b):
        self.a, self.b = a, b  # lists of Sample

    @property
    def ratios(self):
        return [x.wall / y.wall for x, y in zip(self.a, self.b)]

    @property
    def ratio(self):
        """Median of the paired ratios A / B."""
        return statistics.median(self.ratios)

    @property
    def speedup(self):
        """Median of the paired ratios B / A (how many times faster A is)."""
        return statistics.median([y.wall / x.wall for x, y in zip(self.a, self.b)])

    def median_wall(self, side):
        return statistics.median(s.wall for s in (self.a if side == "a" else self.b))

    def max_rss(self, side):
        return max(s.rss_kib for s in (self.a if side == "a" else self.b)) / 1024


def paired(run_a, run_b, pairs, prepare=None, log=None, label=("A", "B")):
    """Alternates `run_a` and `run_b` (callables returning a Sample), `pairs` times, in ABBA
    order so that drift of the machine's load falls on both sides. `prepare(i)` runs before each
    pair, untimed (e.g. copy a database)."""
    a, b = [], []
    for i in range(pairs):
        if prepare:
            prepare(i)
        if i % 2 == 0:
            x = run_a()
            y = run_b()
        else:
            y = run_b()
            x = run_a()
        a.append(x)
        b.append(y)
        if log:
            log(f"    pair {i + 1}/{pairs}: {label[0]} {x.wall:.3f} s ({x.rss_mib:.0f} MiB)   "
                f"{label[1]} {y.wall:.3f} s ({y.rss_mib:.0f} MiB)   ratio {x.wall / y.wall:.2f}")
    return Paired(a, b)


def repeated(run_once, runs, prepare=None):
    samples = []
    for i in range(runs):
        if prepare:
            prepare(i)
        samples.append(run_once())
    return samples


def median_wall(samples):
    return statistics.median(s.wall for s in samples)


# ---------------------------------------------------------------------------------------------
# Seeded data

def agreements_yaml(list_price_models=()):
    """Every partner on one revenue_percent agreement (10 % up to 1,000,000, then 12 %) from
    2024-01; optional list prices for a few models so PRICE_ANOMALY is exercised."""
    out = ["partners:"]
    for p in PARTNERS:
        out += [f"  - id: {p}", f"    name: {p.title()}", "    currency: USD", "    payment_terms_days: 45",
                "    agreements:", f"      - id: {p.upper()}-2024", "        effective_from: 2024-01",
                "        basis: revenue_percent", "        tiers:", "          - up_to: 1000000",
                "            rate: 0.10", "          - rate: 0.12"]
        if list_price_models:
            out.append("        list_prices:")
            out += [f"          {m}: {{input: 0.50, output: 0.50}}" for m in list_price_models]
    return "\n".join(out) + "\n"


def c_compiler():
    """cc, gcc, clang, or the clang that ships with the Swift toolchain."""
    for name in ("cc", "gcc", "clang"):
        if shutil.which(name):
            return shutil.which(name)
    swift = shutil.which("swift")
    if swift and os.path.exists(os.path.join(os.path.dirname(os.path.realpath(swift)), "clang")):
        return os.path.join(os.path.dirname(os.path.realpath(swift)), "clang")
    raise Missing("cc", "gcc")


def compile_c(source, output, shared=False):
    args = [c_compiler(), "-O2", "-o", output, os.path.join(SCRIPTS, source)]
    if shared:
        args[1:1] = ["-shared", "-fPIC"]
        args.append("-ldl")
    subprocess.run(args, check=True)
    return output


class Generator:
    """scripts/bench-gen.c, compiled into `directory`: the seeded files of every benchmark."""

    def __init__(self, directory):
        self.path = compile_c("bench-gen.c", os.path.join(directory, "bench-gen"))

    def _run(self, *args):
        out = subprocess.run([self.path, *map(str, args)], check=True, capture_output=True, text=True).stdout.split()
        return int(out[0]), int(out[1])

    def import_usage(self, path, rows, seed=20250101, bad_last_line=False):
        """Issue 4's file: partner x model x region within a day (8 x 13 x 9), day after day from
        2024-01-01; a prefix of N rows is the file of N rows."""
        self._run("import", rows, seed, path, *(["bad"] if bad_last_line else []))

    def month_usage(self, path, rows, period="2025-01", seed=20250201):
        """`rows` usage rows in one month, for close: 8 partners x 13 models x every day x synthetic
        regions. Returns the number of regions."""
        return self._run("close", rows, seed, period, path)[1]

    def month_usage_and_meter(self, usage_path, meter_path, rows, period="2025-01", seed=20250301):
        """`rows` usage and `rows` meter rows in one month, for reconcile: 8 partners x synthetic
        models x every day (the meter key has no region). Returns the number of models."""
        return self._run("reconcile", rows, seed, period, usage_path, meter_path)[1]

    def payments(self, path, count, first="2023-01-01", last="2024-12-31", seed=20250401):
        self._run("payments", count, seed, first, last, path)


def synthetic_model(i):
    return f"llama-synthetic-{i:05d}"


def copy_prefix(source, target, rows):
    """The header and the first `rows` data lines of a CSV without quoted line breaks."""
    with open(source) as src, open(target, "w", newline="") as dst:
        dst.write(src.readline())
        for i, line in enumerate(src):
            if i == rows:
                break
            dst.write(line)


# ---------------------------------------------------------------------------------------------
# Databases

REFERENCE_IMPORT_SQL = """PRAGMA journal_mode=WAL;
CREATE TABLE usage (usage_date TEXT NOT NULL, partner TEXT NOT NULL, model TEXT NOT NULL, region TEXT NOT NULL,
  requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, gross_revenue TEXT NOT NULL,
  PRIMARY KEY (partner, usage_date, model, region)) STRICT, WITHOUT ROWID;
"""

# The floor of a close or reconcile: one pass over the period's current usage rows, summed per
# partner and model, in the revshare database itself.
GROUP_BY_SQL = """SELECT r.partner_id, u.model, count(*), sum(u.requests), sum(u.input_tokens), sum(u.output_tokens),
       sum(u.gross_revenue_micros)
FROM usage_row AS u JOIN usage_report AS r ON r.id = u.report_id
WHERE r.period = '{period}' AND r.id = (SELECT max(n.id) FROM usage_report AS n
                                         WHERE n.partner_id = r.partner_id AND n.period = r.period)
GROUP BY r.partner_id, u.model;
"""


def remove_db(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def checkpoint(db):
    """Folds the WAL into the main file so that a copy of the file alone is the whole database."""
    subprocess.run(["sqlite3", db, "PRAGMA wal_checkpoint(TRUNCATE);"], check=True, stdout=subprocess.DEVNULL)


def copy_db(source, target):
    remove_db(target)
    shutil.copyfile(source, target)


def db_digest(db):
    return subprocess.run(["sqlite3", db, ".sha3sum"], capture_output=True, text=True, check=True).stdout.strip()


class Workspace:
    def __init__(self, binary, directory=None, log=print):
        self.binary = binary
        self.log = log
        self.keep = directory is not None
        self.dir = directory or tempfile.mkdtemp(prefix="revshare-bench-")
        os.makedirs(self.dir, exist_ok=True)
        self.gen = Generator(self.dir)
        self.agreements = self.path("agreements.yaml")
        with open(self.agreements, "w") as f:
            f.write(agreements_yaml(list_price_models=[MODELS[0], synthetic_model(0), synthetic_model(1)]))

    def path(self, name):
        return os.path.join(self.dir, name)

    def revshare(self, db, *args, **kw):
        """Runs revshare against `db`, timed."""
        return run([self.binary, "--db", db, *args], **kw)

    def fresh_db(self, name):
        db = self.path(name)
        remove_db(db)
        self.revshare(db, "init")
        self.revshare(db, "agreements", "load", self.agreements)
        return db

    def sqlite(self, db, sql, readonly=True):
        """Runs `sql` in the sqlite3 shell, timed (its output discarded)."""
        return run(["sqlite3"] + (["-readonly"] if readonly else []) + [db], stdin_text=sql)

    def cleanup(self):
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The import benchmark (issue 4), shared by scripts/bench-import and scripts/bench

def bench_import(ws, csv, rows, pairs, log=print):
    """`revshare import usage` into a fresh database vs `sqlite3 .import` of the same file into a
    STRICT table with the same unique key (WAL, one transaction), alternated."""
    size_mb = os.path.getsize(csv) / 1e6
    state = {}

    def prepare(_):
        state["db"] = ws.fresh_db("import.sqlite")
        ref = ws.path("reference.sqlite")
        remove_db(ref)
        subprocess.run(["sqlite3", ref], input=REFERENCE_IMPORT_SQL, text=True, check=True, stdout=subprocess.DEVNULL)
        state["ref"] = ref

    def ours():
        return ws.revshare(state["db"], "import", "usage", csv)

    def theirs():
        sample = run(["sqlite3", state["ref"], f".import --csv --skip 1 {csv} usage"])
        if sample.stderr.count("\n") > 30:
            raise RuntimeError(f"sqlite3 .import reported errors: {sample.stderr[-2000:]}")
        return sample

    result = paired(ours, theirs, pairs, prepare=prepare, log=log, label=("revshare", "sqlite3 .import"))
    result.rows, result.size_mb = rows, size_mb
    return result


REFERENCE_PAYMENTS_SQL = """PRAGMA journal_mode=WAL;
CREATE TABLE payment (payment_id TEXT PRIMARY KEY, partner TEXT NOT NULL, received_on TEXT NOT NULL,
  amount TEXT NOT NULL, currency TEXT NOT NULL, reference TEXT) STRICT;
"""


def bench_payments(ws, csv, rows, pairs, log=print):
    """`revshare import payments` into a fresh database (each payment also posts a ledger entry
    with two postings) vs `sqlite3 .import` of the same file into a STRICT table keyed by
    payment_id (WAL, one transaction), alternated."""
    state = {}

    def prepare(_):
        state["db"] = ws.fresh_db("payments.sqlite")
        ref = ws.path("payments-reference.sqlite")
        remove_db(ref)
        subprocess.run(["sqlite3", ref], input=REFERENCE_PAYMENTS_SQL, text=True, check=True, stdout=subprocess.DEVNULL)
        state["ref"] = ref

    def ours():
        return ws.revshare(state["db"], "import", "payments", csv)

    def theirs():
        sample = run(["sqlite3", state["ref"], f".import --csv --skip 1 {csv} payment"])
        if sample.stderr.strip():
            raise RuntimeError(f"sqlite3 .import reported errors: {sample.stderr[-2000:]}")
        return sample

    result = paired(ours, theirs, pairs, prepare=prepare, log=log, label=("revshare", "sqlite3 .import"))
    remove_db(state["db"])
    remove_db(state["ref"])
    return result


def bench_rejected(ws, bad_csv):
    """A file whose last line is bad: exit 65, the database byte-identical, and the time."""
    db = ws.fresh_db("rejected.sqlite")
    checkpoint(db)
    before = db_digest(db)
    sample = ws.revshare(db, "import", "usage", bad_csv, check=False)
    after = db_digest(db)
    return sample, before == after


# ---------------------------------------------------------------------------------------------
# SQL trace and query plans

def build_sqltrace(directory):
    """Compiles scripts/bench-sqltrace.c (an LD_PRELOAD shim); raises Missing without a C compiler."""
    return compile_c("bench-sqltrace.c", os.path.join(directory, "sqltrace.so"), shared=True)


def traced_statements(ws, library, db, *args):
    """Runs revshare with the trace shim; returns the distinct SQL statements it prepared, in
    first-use order."""
    log_path = ws.path("sql-trace.log")
    if os.path.exists(log_path):
        os.remove(log_path)
    env = dict(os.environ, LD_PRELOAD=library, BENCH_SQL_TRACE=log_path)
    ws.revshare(db, *args, env=env)
    if not os.path.exists(log_path):
        return []
    with open(log_path, "rb") as f:
        raw = f.read().decode(errors="replace").split("\0")
    seen, ordered = set(), []
    for sql in raw:
        text = sql.strip()
        if not text or text in seen:
            continue
        seen.add(text)
        ordered.append(text)
    return ordered


def explain(db, sql):
    """EXPLAIN QUERY PLAN lines of `sql` (parameters unbound: the plan does not depend on them
    without sqlite_stat4)."""
    proc = subprocess.run(["sqlite3", "-readonly", db], input=f"EXPLAIN QUERY PLAN {sql.rstrip().rstrip(';')};\n",
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    return [line.strip("|`- ").strip() for line in proc.stdout.splitlines() if line.strip() and line.strip() != "QUERY PLAN"]


STAT_FIELDS = {"Fullscan Steps": "fullscan", "Sort Operations": "sorts", "Autoindex Inserts": "autoindex",
               "Virtual Machine Steps": "vm_steps"}


def scan_stats(db, sql):
    """Runs `sql` once in sqlite3 with every parameter NULL and returns its statement counters:
    fullscan (rows stepped through by full table or index scans), sorts, autoindex, vm_steps.
    A SEARCH reads what its key selects (nothing, with NULL keys); a SCAN reads the whole table
    whatever the parameters, so `fullscan` is what the statement reads beyond its keys."""
    proc = subprocess.run(["sqlite3", "-readonly", db], input=f".stats stmt\n{sql.rstrip().rstrip(';')};\n",
                          capture_output=True, text=True)
    stats = {}
    for line in (proc.stdout + proc.stderr).splitlines():
        name, _, value = line.partition(":")
        if name.strip() in STAT_FIELDS:
            stats[STAT_FIELDS[name.strip()]] = int(value.split()[0])
    return stats if proc.returncode == 0 and stats else None


def plan_findings(db, statements, threshold=1000):
    """For each read statement: (sql, plan lines, stats, flagged). Flagged: it stepped through
    `threshold` or more rows by full scans, i.e. it reads a whole table (or index) where a key
    would select what it needs."""
    results = []
    for sql in statements:
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head not in ("SELECT", "WITH"):
            continue
        plan = explain(db, sql)
        stats = scan_stats(db, sql)
        if plan is None or stats is None:
            continue
        results.append((sql, plan, stats, stats.get("fullscan", 0) >= threshold))
    return results


def one_line(sql, width=160):
    text = " ".join(sql.split())
    return text if len(text) <= width else text[:width - 1] + "…"

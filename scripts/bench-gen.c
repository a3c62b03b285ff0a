/* Seeded data generator for scripts/bench and scripts/bench-import (compiled by benchlib.py with
 * the system C compiler or the Swift toolchain's clang; Python is ~100x slower at this and the
 * default sizes need ~20M lines). Deterministic: SplitMix64 from the seed, one stream per file.
 *
 *   bench-gen import    ROWS SEED OUT [bad]      8 partners x 13 models x 9 regions a day, day
 *                                                after day from 2024-01-01 (issue 4's file); a
 *                                                prefix of N rows is the file of N rows; `bad`
 *                                                makes the last line's input_tokens "12a"
 *   bench-gen close     ROWS SEED PERIOD OUT     one month: 8 partners x 13 models x every day x
 *                                                synthetic regions zone-0000..., day by day
 *   bench-gen reconcile ROWS SEED PERIOD USAGE METER
 *                                                one month: 8 partners x synthetic models x every
 *                                                day, no region; the meter file has the same keys
 *                                                and tokens, but +3 % for one model in 500; usage
 *                                                rows carry reported_share = revenue / 10
 *   bench-gen payments  COUNT SEED FIRST LAST OUT
 *                                                payments evenly spread over [FIRST, LAST] (dates),
 *                                                partners in turn, 2-decimal amounts, USD
 *
 * Prints one line on stdout: the number of rows and the synthetic dimension (regions or models). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *PARTNERS[] = {"aws", "azure", "google-cloud", "databricks", "groq", "nvidia", "dell", "snowflake"};
static const char *MODELS[] = {"llama-3.1-8b-instruct", "llama-3.1-70b-instruct", "llama-3.1-405b-instruct",
                               "llama-3.2-1b-instruct", "llama-3.2-3b-instruct", "llama-3.2-11b-vision-instruct",
                               "llama-3.2-90b-vision-instruct", "llama-3.3-70b-instruct",
                               "llama-4-scout-17b-16e-instruct", "llama-4-maverick-17b-128e-instruct",
                               "llama-guard-3-8b", "llama-guard-4-12b", "llama-3.1-nemotron-70b"};
static const char *REGIONS[] = {"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1",
                                "ap-northeast-1", "sa-east-1", "ca-central-1"};
enum { NP = 8, NM = 13, NR = 9 };

static uint64_t state;
static uint64_t next(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int64_t between(int64_t lo, int64_t hi) { return lo + (int64_t)(next() % (uint64_t)(hi - lo)); } /* [lo, hi) */

/* Days since 1970-01-01 <-> civil date (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
static void civil(int64_t z, char out[11]) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    snprintf(out, 11, "%04d-%02d-%02d", (int)(y + (m <= 2)), m, d);
}
static int64_t parse_date(const char *s) {
    int y, m, d;
    if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3) { fprintf(stderr, "bad date %s\n", s); exit(64); }
    return days_from_civil(y, m, d);
}
/* First day and day count of a period YYYY-MM. */
static int64_t period_days(const char *period, int *count) {
    int y, m;
    if (sscanf(period, "%d-%d", &y, &m) != 2) { fprintf(stderr, "bad period %s\n", period); exit(64); }
    int64_t first = days_from_civil(y, m, 1);
    *count = (int)(days_from_civil(y + m / 12, m % 12 + 1, 1) - first);
    return first;
}

static FILE *create(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(73); }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}
static void finish(FILE *f, const char *path) {
    if (fclose(f) != 0) { perror(path); exit(74); }
}

static void revenue(char out[32]) {
    int64_t whole = between(0, 5000), micros = between(0, 1000000);
    snprintf(out, 32, "%lld.%06lld", (long long)whole, (long long)micros);
}

static int gen_import(long long rows, const char *out, int bad) {
    FILE *f = create(out);
    fputs("usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue\n", f);
    int64_t day0 = days_from_civil(2024, 1, 1);
    const long long per_day = NP * NM * NR;
    char date[11], money[32];
    for (long long i = 0; i < rows; i++) {
        long long d = i / per_day, k = i % per_day;
        if (k == 0 || i == 0) civil(day0 + d, date);
        int p = (int)(k / (NM * NR)), m = (int)(k / NR % NM), r = (int)(k % NR);
        long long requests = between(1, 50000), in = between(1000, 5000000), outp = between(1000, 2000000);
        revenue(money);
        if (bad && i == rows - 1)
            fprintf(f, "%s,%s,%s,%s,%lld,12a,%lld,%s\n", date, PARTNERS[p], MODELS[m], REGIONS[r], requests, outp, money);
        else
            fprintf(f, "%s,%s,%s,%s,%lld,%lld,%lld,%s\n", date, PARTNERS[p], MODELS[m], REGIONS[r], requests, in, outp, money);
    }
    finish(f, out);
    printf("%lld 0\n", rows);
    return 0;
}

static int gen_close(long long rows, const char *period, const char *out) {
    int days;
    int64_t first = period_days(period, &days);
    long long regions = (rows + (long long)NP * NM * days - 1) / ((long long)NP * NM * days);
    if (regions < 1) regions = 1;
    FILE *f = create(out);
    fputs("usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue\n", f);
    long long written = 0;
    char date[11], money[32];
    for (int d = 0; d < days && written < rows; d++) {
        civil(first + d, date);
        for (int p = 0; p < NP && written < rows; p++)
            for (int m = 0; m < NM && written < rows; m++)
                for (long long r = 0; r < regions && written < rows; r++, written++) {
                    long long requests = between(1, 50000), in = between(1000, 5000000), outp = between(1000, 2000000);
                    revenue(money);
                    fprintf(f, "%s,%s,%s,zone-%04lld,%lld,%lld,%lld,%s\n", date, PARTNERS[p], MODELS[m], r, requests, in,
                            outp, money);
                }
    }
    finish(f, out);
    printf("%lld %lld\n", written, regions);
    return 0;
}

static int gen_reconcile(long long rows, const char *period, const char *usage_out, const char *meter_out) {
    int days;
    int64_t first = period_days(period, &days);
    long long models = (rows + (long long)NP * days - 1) / ((long long)NP * days);
    if (models < 1) models = 1;
    FILE *u = create(usage_out), *mt = create(meter_out);
    fputs("usage_date,partner,model,requests,input_tokens,output_tokens,gross_revenue,reported_share\n", u);
    fputs("usage_date,partner,model,input_tokens,output_tokens\n", mt);
    long long written = 0;
    char date[11];
    for (int d = 0; d < days && written < rows; d++) {
        civil(first + d, date);
        for (int p = 0; p < NP && written < rows; p++)
            for (long long m = 0; m < models && written < rows; m++, written++) {
                long long requests = between(1, 50000), in = between(1000, 5000000), outp = between(1000, 2000000);
                long long micros = between(0, 5000000000ll), share = micros / 10;
                fprintf(u, "%s,%s,llama-synthetic-%05lld,%lld,%lld,%lld,%lld.%06lld,%lld.%06lld\n", date, PARTNERS[p], m,
                        requests, in, outp, micros / 1000000, micros % 1000000, share / 1000000, share % 1000000);
                if (m % 500 == 499) { in = in * 103 / 100; outp = outp * 103 / 100; }
                fprintf(mt, "%s,%s,llama-synthetic-%05lld,%lld,%lld\n", date, PARTNERS[p], m, in, outp);
            }
    }
    finish(u, usage_out);
    finish(mt, meter_out);
    printf("%lld %lld\n", written, models);
    return 0;
}

static int gen_payments(long long count, const char *first_s, const char *last_s, const char *out) {
    int64_t first = parse_date(first_s), span = parse_date(last_s) - first + 1;
    FILE *f = create(out);
    fputs("payment_id,partner,received_on,amount,currency,reference\n", f);
    char date[11];
    for (long long i = 0; i < count; i++) {
        civil(first + (int64_t)(i * span / count), date);
        long long units = between(1, 10000000), cents = between(0, 100);
        fprintf(f, "PAY-%07lld,%s,%s,%lld.%02lld,USD,\n", i, PARTNERS[i % NP], date, units, cents);
    }
    finish(f, out);
    printf("%lld 0\n", count);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: see the top of scripts/bench-gen.c\n"); return 64; }
    long long rows = atoll(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (!strcmp(argv[1], "import") && argc >= 5) return gen_import(rows, argv[4], argc >= 6 && !strcmp(argv[5], "bad"));
    if (!strcmp(argv[1], "close") && argc == 6) return gen_close(rows, argv[4], argv[5]);
    if (!strcmp(argv[1], "reconcile") && argc == 7) return gen_reconcile(rows, argv[4], argv[5], argv[6]);
    if (!strcmp(argv[1], "payments") && argc == 7) return gen_payments(rows, argv[4], argv[5], argv[6]);
    fprintf(stderr, "usage: see the top of scripts/bench-gen.c\n");
    return 64;
}

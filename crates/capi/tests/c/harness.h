/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI tests: what every test program shares. Each program is
   compiled by tests/c_programs.rs against include/qat and libqat.so.4, run,
   and must exit 0; it prints one "ok <what>" line per check group and
   "FAIL <file>:<line>: <expression>" for a failed check. */
#ifndef SOFTQAT_TEST_HARNESS_H
#define SOFTQAT_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpa.h"
#include "qae_mem.h"

static int harness_failures = 0;

#define CHECK(expr)                                                            \
    do {                                                                       \
        if (!(expr)) {                                                         \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #expr);    \
            harness_failures++;                                                \
        }                                                                      \
    } while (0)

/* A call that must return status `want`. */
#define CHECK_STATUS(call, want)                                               \
    do {                                                                       \
        CpaStatus st_ = (call);                                                \
        if (st_ != (want)) {                                                   \
            fprintf(stderr, "FAIL %s:%d: %s returned %d, expected %d\n",       \
                    __FILE__, __LINE__, #call, (int)st_, (int)(want));         \
            harness_failures++;                                                \
        }                                                                      \
    } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, CPA_STATUS_SUCCESS)

/* Stops at once: later checks would only repeat the failure. */
#define REQUIRE_OK(call)                                                       \
    do {                                                                       \
        CpaStatus st_ = (call);                                                \
        if (st_ != CPA_STATUS_SUCCESS) {                                       \
            fprintf(stderr, "FAIL %s:%d: %s returned %d\n", __FILE__,          \
                    __LINE__, #call, (int)st_);                                \
            exit(2);                                                           \
        }                                                                      \
    } while (0)

static inline void ok(const char *what)
{
    if (harness_failures == 0)
        printf("ok %s\n", what);
}

static inline int finish(void)
{
    if (harness_failures) {
        fprintf(stderr, "%d check(s) failed\n", harness_failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}

/* DMA memory that must exist. */
static inline void *dma(size_t n)
{
    void *p = qaeMemAllocNUMA(n, 0, 64);
    if (!p) {
        fprintf(stderr, "FAIL qaeMemAllocNUMA(%zu)\n", n);
        exit(2);
    }
    return p;
}

/* Deterministic test data: text-like, compressible about 3:1. */
static inline void fill_text(Cpa8U *p, size_t n, unsigned seed)
{
    static const char *words[] = {"quick", "assist", "soft", "ring", "engine",
                                  "deflate", "session", "poll", "buffer",
                                  "instance", "qat", "cpa", "\n"};
    size_t i = 0;
    unsigned x = seed * 2654435761u + 1;
    while (i < n) {
        x = x * 1103515245u + 12345u;
        const char *w = words[(x >> 16) % 13];
        while (*w && i < n)
            p[i++] = (Cpa8U)*w++;
        if (i < n)
            p[i++] = ' ';
    }
}

/* Writes a file into the output directory given as argv[1]. */
static inline void write_file(const char *dir, const char *name, const void *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        fprintf(stderr, "FAIL cannot write %s\n", path);
        exit(2);
    }
    fclose(f);
}

#endif

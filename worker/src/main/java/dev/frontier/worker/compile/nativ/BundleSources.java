package dev.frontier.worker.compile.nativ;

/**
 * The fixed files of a native bundle besides the runtime helpers: the stable C API header, the timing
 * / evaluation harness (what Java runs as a subprocess, and what a user runs on a board), and the
 * build recipe (Makefile and an equivalent build.sh for machines without make, e.g. NDK shells).
 */
final class BundleSources {
    private BundleSources() {
    }

    static final String API_HEADER = """
            /* Frontier generated model: stable C API. Batch 1, float32 NCHW in and out; one model per thread. */
            #ifndef FRONTIER_MODEL_H
            #define FRONTIER_MODEL_H
            #ifdef __cplusplus
            extern "C" {
            #endif
            typedef struct frontier_model frontier_model;
            /* allocates the activation buffers (zeroed); NULL when out of memory */
            frontier_model *frontier_model_create(void);
            /* in: frontier_model_input_size() floats (C x H x W); out: frontier_model_output_size() floats; 0 = ok */
            int frontier_model_run(frontier_model *m, const float *in, float *out);
            /* as run, adding each layer's wall time in nanoseconds to layer_ns[i] (layer_count entries) */
            int frontier_model_run_profiled(frontier_model *m, const float *in, float *out, double *layer_ns);
            void frontier_model_destroy(frontier_model *m);
            int frontier_model_input_size(void);
            int frontier_model_output_size(void);
            int frontier_model_layer_count(void);
            const char *frontier_model_layer_name(int i);
            #ifdef __cplusplus
            }
            #endif
            #endif
            """;

    /**
     * {@code time [warmup_ms repeat min_repeat_ms warmup_runs]}: the latency protocol of
     * LatencyProtocol (warm-up discarded, repeat samples each the mean of number runs, number doubled
     * until a sample lasts >= min_repeat_ms; median, p10, p90; then per-layer medians), one JSON line.
     * {@code run IN OUT}: IN holds N inputs of float32 back to back, OUT gets N outputs.
     */
    static final String HARNESS = """
            #include <math.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <time.h>
            #include "frontier_model.h"

            static double now_ms(void) {
                struct timespec t;
                clock_gettime(CLOCK_MONOTONIC, &t);
                return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
            }

            static int cmp(const void *a, const void *b) {
                double x = *(const double *) a, y = *(const double *) b;
                return x < y ? -1 : x > y;
            }

            /* linear-interpolated percentile, as LatencyProtocol.percentile */
            static double pct(const double *v, int n, double p) {
                double *s = malloc(sizeof(double) * n);
                memcpy(s, v, sizeof(double) * n);
                qsort(s, n, sizeof(double), cmp);
                double pos = p / 100.0 * (n - 1), r;
                int lo = (int) pos, hi = lo + 1 < n ? lo + 1 : n - 1;
                r = n == 1 ? s[0] : s[lo] + (s[hi] - s[lo]) * (pos - lo);
                free(s);
                return r;
            }

            static int run_file(frontier_model *m, const char *inPath, const char *outPath) {
                int ni = frontier_model_input_size(), no = frontier_model_output_size();
                FILE *fi = fopen(inPath, "rb"), *fo = fopen(outPath, "wb");
                if (!fi || !fo) { fprintf(stderr, "cannot open %s or %s\\n", inPath, outPath); return 2; }
                float *x = malloc(sizeof(float) * ni), *y = malloc(sizeof(float) * no);
                long n = 0;
                while (fread(x, sizeof(float), ni, fi) == (size_t) ni) {
                    frontier_model_run(m, x, y);
                    if (fwrite(y, sizeof(float), no, fo) != (size_t) no) { fprintf(stderr, "write failed\\n"); return 2; }
                    n++;
                }
                fclose(fi);
                fclose(fo);
                free(x);
                free(y);
                fprintf(stderr, "ran %ld inputs\\n", n);
                return 0;
            }

            static int time_model(frontier_model *m, double warmupMs, int repeat, double minRepeatMs, int warmupRuns) {
                int ni = frontier_model_input_size(), no = frontier_model_output_size(), nl = frontier_model_layer_count();
                float *x = malloc(sizeof(float) * ni), *y = malloc(sizeof(float) * no);
                unsigned s = 7;
                for (int i = 0; i < ni; i++) { s = s * 1103515245u + 12345u; x[i] = ((s >> 8) & 0xFFFF) / 32768.f - 1.f; }
                double t0 = now_ms();
                for (int k = 0; k < warmupRuns || now_ms() - t0 < warmupMs; k++) frontier_model_run(m, x, y);
                int number = 1;
                while (number < (1 << 20)) {
                    double a = now_ms();
                    for (int k = 0; k < number; k++) frontier_model_run(m, x, y);
                    if (now_ms() - a >= minRepeatMs) break;
                    number *= 2;
                }
                double *samples = malloc(sizeof(double) * repeat);
                for (int r = 0; r < repeat; r++) {
                    double a = now_ms();
                    for (int k = 0; k < number; k++) frontier_model_run(m, x, y);
                    samples[r] = (now_ms() - a) / number;
                }
                double *per = calloc((size_t) nl * repeat, sizeof(double)), *ns = calloc(nl, sizeof(double));
                for (int r = 0; r < repeat; r++) {
                    memset(ns, 0, sizeof(double) * nl);
                    for (int k = 0; k < number; k++) frontier_model_run_profiled(m, x, y, ns);
                    for (int l = 0; l < nl; l++) per[(size_t) l * repeat + r] = ns[l] / 1e6 / number;
                }
                /* sample standard deviation, as LatencyProtocol computes it (computed before pct sorts them) */
                double mean = 0, var = 0;
                for (int r = 0; r < repeat; r++) mean += samples[r] / repeat;
                for (int r = 0; r < repeat; r++) var += (samples[r] - mean) * (samples[r] - mean);
                const double stdev = repeat > 1 ? sqrt(var / (repeat - 1)) : 0;
                printf("{\\"median_ms\\":%.6f,\\"p10_ms\\":%.6f,\\"p90_ms\\":%.6f,\\"stdev_ms\\":%.6f,\\"number\\":%d,\\"repeat\\":%d,\\"layers\\":{",
                       pct(samples, repeat, 50), pct(samples, repeat, 10), pct(samples, repeat, 90), stdev, number, repeat);
                for (int l = 0; l < nl; l++)
                    printf("%s\\"%s\\":%.6f", l ? "," : "", frontier_model_layer_name(l), pct(per + (size_t) l * repeat, repeat, 50));
                printf("}}\\n");
                free(samples);
                free(per);
                free(ns);
                free(x);
                free(y);
                return 0;
            }

            int main(int argc, char **argv) {
                frontier_model *m = frontier_model_create();
                if (!m) { fprintf(stderr, "out of memory\\n"); return 2; }
                int rc;
                if (argc >= 2 && strcmp(argv[1], "time") == 0) {
                    rc = time_model(m, argc > 2 ? atof(argv[2]) : 1000, argc > 3 ? atoi(argv[3]) : 30,
                                    argc > 4 ? atof(argv[4]) : 20, argc > 5 ? atoi(argv[5]) : 300);
                } else if (argc == 4 && strcmp(argv[1], "run") == 0) {
                    rc = run_file(m, argv[2], argv[3]);
                } else {
                    fprintf(stderr, "usage: %s time [warmup_ms repeat min_repeat_ms warmup_runs] | run IN.f32 OUT.f32\\n", argv[0]);
                    rc = 2;
                }
                frontier_model_destroy(m);
                return rc;
            }
            """;

    static String makefile(String cc, String cflags) {
        return """
                # Frontier native bundle. Cross builds: make CC=aarch64-linux-android24-clang CFLAGS="-O3"
                ifeq ($(origin CC),default)
                CC = %s
                endif
                CFLAGS ?= %s
                WARN = -std=gnu11 -ffp-contract=off -Wall -Werror
                all: libfrontier_model.so frontier_harness
                frontier_model.o: frontier_model.c frontier_model.h frontier_runtime.h
                \t$(CC) $(CFLAGS) $(WARN) -fPIC -c frontier_model.c -o $@
                libfrontier_model.so: frontier_model.o
                \t$(CC) $(CFLAGS) -shared -o $@ frontier_model.o -lm
                frontier_harness: frontier_harness.c frontier_model.o frontier_model.h
                \t$(CC) $(CFLAGS) $(WARN) -o $@ frontier_harness.c frontier_model.o -lm
                scalar:
                \t$(MAKE) clean all CFLAGS="$(CFLAGS) -DFRONTIER_SCALAR"
                clean:
                \trm -f frontier_model.o libfrontier_model.so frontier_harness
                .PHONY: all clean scalar
                """.formatted(cc, cflags);
    }

    static String buildScript(String cc, String cflags) {
        return """
                #!/bin/sh
                # Same as the Makefile, for shells without make. CC and CFLAGS may be overridden.
                set -e
                cd "$(dirname "$0")"
                CC="${CC:-%s}"
                CFLAGS="${CFLAGS:-%s}"
                $CC $CFLAGS -std=gnu11 -ffp-contract=off -Wall -Werror -fPIC -c frontier_model.c -o frontier_model.o
                $CC $CFLAGS -shared -o libfrontier_model.so frontier_model.o -lm
                $CC $CFLAGS -std=gnu11 -ffp-contract=off -Wall -Werror -o frontier_harness frontier_harness.c frontier_model.o -lm
                """.formatted(cc, cflags);
    }
}

package dev.frontier.worker.compile.nativ;

/**
 * The fixed part of every bundle: {@code frontier_runtime.h}, helpers the generated layers call.
 * Everything is {@code static inline} so that unused helpers cost nothing and do not trip -Wall. The
 * vector kernels are templates whose shape arguments are constants at every call site: with
 * always_inline, gcc unrolls the register block completely and keeps it in zmm registers.
 * Each vector kernel has a scalar twin here; {@code -DFRONTIER_SCALAR} (or a target without AVX-512)
 * makes every layer use the twins.
 */
final class RuntimeSource {
    private RuntimeSource() {
    }

    static final String HEADER = """
            /* Frontier native runtime helpers (generated bundle; do not edit). */
            #ifndef FRONTIER_RUNTIME_H
            #define FRONTIER_RUNTIME_H
            #include <stdint.h>
            #include <string.h>
            #if defined(__AVX512F__) && !defined(FRONTIER_SCALAR)
            #define FR_AVX512 1
            #include <immintrin.h>
            #endif
            #define FR_INLINE static inline __attribute__((always_inline))
            #ifndef FR_NTA_ROWS
            #define FR_NTA_ROWS 24
            #endif
            /* a function gcc must not specialise for constant arguments (keeps weight tables out of
               the vector constant pool); clang has no noipa and does not clone such functions */
            #if defined(__GNUC__) && !defined(__clang__)
            #define FR_NOIPA __attribute__((noipa))
            #else
            #define FR_NOIPA __attribute__((noinline))
            #endif

            /* channel planes of (h + 2 ring) x (w + 2 ring) floats with a zero ring (as the JVM Layout) */
            typedef struct { int c, h, w, ring; } fr_layout;
            FR_INLINE int fr_rs(fr_layout l) { return l.w + 2 * l.ring; }
            FR_INLINE int fr_plane(fr_layout l) { return (l.h + 2 * l.ring) * fr_rs(l); }
            FR_INLINE int fr_at(fr_layout l, int c, int y, int x) {
                return c * fr_plane(l) + (y + l.ring) * fr_rs(l) + x + l.ring;
            }

            FR_INLINE float fr_act(float v, int act) {
                if (act == 1) return v > 0.f ? v : 0.f;
                if (act == 2) return v < 0.f ? 0.f : (v > 6.f ? 6.f : v);
                return v;
            }

            static inline void fr_scatter(const float *dense, float *buf, fr_layout l) {
                for (int c = 0; c < l.c; c++)
                    for (int y = 0; y < l.h; y++)
                        memcpy(buf + fr_at(l, c, y, 0), dense + (c * l.h + y) * l.w, sizeof(float) * l.w);
            }

            static inline void fr_gather(const float *buf, float *dense, fr_layout l) {
                for (int c = 0; c < l.c; c++)
                    for (int y = 0; y < l.h; y++)
                        memcpy(dense + (c * l.h + y) * l.w, buf + fr_at(l, c, y, 0), sizeof(float) * l.w);
            }

            /* flattened kernels write garbage into the ring columns between rows: put the zeros back */
            static inline void fr_zero_ring_cols(float *buf, fr_layout l, int c0, int c1) {
                if (l.ring == 0) return;
                for (int c = c0; c < c1; c++)
                    for (int y = 0; y + 1 < l.h; y++)
                        memset(buf + fr_at(l, c, y, l.w), 0, sizeof(float) * 2 * l.ring);
            }

            /* scalar reference convolution: any groups, stride, padding; weights [cout][cin/g][kh][kw] */
            static inline void fr_conv_ref(const float *in, float *out, const float *w, const float *bias,
                                           fr_layout li, fr_layout lo, int cin, int cout, int groups, int kh, int kw,
                                           int stride, int padding, int act) {
                int cpi = cin / groups, cpo = cout / groups;
                for (int oc = 0; oc < cout; oc++) {
                    int g = oc / cpo;
                    for (int oy = 0; oy < lo.h; oy++)
                        for (int ox = 0; ox < lo.w; ox++) {
                            float acc = bias[oc];
                            for (int i = 0; i < cpi; i++) {
                                const float *wk = w + ((size_t) oc * cpi + i) * kh * kw;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = oy * stride - padding + ky;
                                    if (iy < 0 || iy >= li.h) continue;
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = ox * stride - padding + kx;
                                        if (ix < 0 || ix >= li.w) continue;
                                        acc += wk[ky * kw + kx] * in[fr_at(li, g * cpi + i, iy, ix)];
                                    }
                                }
                            }
                            out[fr_at(lo, oc, oy, ox)] = fr_act(acc, act);
                        }
                }
            }

            /* max / average pooling; padded positions count as zeros in averages (as the JVM kernel) */
            static inline void fr_pool(const float *in, float *out, fr_layout li, fr_layout lo, int k, int stride,
                                       int pad, int max) {
                float inv = 1.f / (k * k);
                for (int c = 0; c < lo.c; c++)
                    for (int oy = 0; oy < lo.h; oy++)
                        for (int ox = 0; ox < lo.w; ox++) {
                            float acc = max ? -__builtin_inff() : 0.f;
                            for (int ky = 0; ky < k; ky++) {
                                int iy = oy * stride - pad + ky;
                                if (iy < 0 || iy >= li.h) continue;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = ox * stride - pad + kx;
                                    if (ix < 0 || ix >= li.w) continue;
                                    float v = in[fr_at(li, c, iy, ix)];
                                    if (max) acc = v > acc ? v : acc; else acc += v;
                                }
                            }
                            out[fr_at(lo, c, oy, ox)] = max ? acc : acc * inv;
                        }
            }

            /* 2x2 stride-2 max pooling without padding (the VGG case): the scalar twin of fr_maxpool2 */
            static inline void fr_maxpool2_ref(const float *in, float *out, fr_layout li, fr_layout lo) {
                for (int c = 0; c < lo.c; c++)
                    for (int oy = 0; oy < lo.h; oy++) {
                        const float *r0 = in + fr_at(li, c, 2 * oy, 0), *r1 = r0 + fr_rs(li);
                        float *o = out + fr_at(lo, c, oy, 0);
                        for (int ox = 0; ox < lo.w; ox++) {
                            float a = r0[2 * ox] > r0[2 * ox + 1] ? r0[2 * ox] : r0[2 * ox + 1];
                            float b = r1[2 * ox] > r1[2 * ox + 1] ? r1[2 * ox] : r1[2 * ox + 1];
                            o[ox] = a > b ? a : b;
                        }
                    }
            }

            FR_INLINE void fr_maxpool2(const float *in, float *out, fr_layout li, fr_layout lo) {
            #ifdef FR_AVX512
                /* 16 outputs per step: even and odd columns picked out of 32 inputs by two permutes; the
                   max order (horizontal pairs, then the two rows) and operand order keep the scalar twin's
                   a > b ? a : b exactly. The scalar loop cost 2.2 us on the demo's 32 x 28 x 28 pool. */
                const __m512i ev = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                const __m512i od = _mm512_add_epi32(ev, _mm512_set1_epi32(1));
                for (int c = 0; c < lo.c; c++)
                    for (int oy = 0; oy < lo.h; oy++) {
                        const float *r0 = in + fr_at(li, c, 2 * oy, 0), *r1 = r0 + fr_rs(li);
                        float *o = out + fr_at(lo, c, oy, 0);
                        for (int ox = 0; ox < lo.w; ox += 16) {
                            const int n = lo.w - ox;
                            const __mmask16 m = n >= 16 ? (__mmask16) 0xFFFF : (__mmask16) ((1u << n) - 1);
                            const __mmask16 m0 = n >= 8 ? (__mmask16) 0xFFFF : (__mmask16) ((1u << (2 * n)) - 1);
                            const __mmask16 m1 = n >= 16 ? (__mmask16) 0xFFFF : n <= 8 ? 0 : (__mmask16) ((1u << (2 * n - 16)) - 1);
                            const __m512 a0 = _mm512_maskz_loadu_ps(m0, r0 + 2 * ox), a1 = _mm512_maskz_loadu_ps(m1, r0 + 2 * ox + 16);
                            const __m512 b0 = _mm512_maskz_loadu_ps(m0, r1 + 2 * ox), b1 = _mm512_maskz_loadu_ps(m1, r1 + 2 * ox + 16);
                            const __m512 a = _mm512_max_ps(_mm512_permutex2var_ps(a0, ev, a1), _mm512_permutex2var_ps(a0, od, a1));
                            const __m512 b = _mm512_max_ps(_mm512_permutex2var_ps(b0, ev, b1), _mm512_permutex2var_ps(b0, od, b1));
                            _mm512_mask_storeu_ps(o + ox, m, _mm512_max_ps(a, b));
                        }
                    }
            #else
                fr_maxpool2_ref(in, out, li, lo);
            #endif
            }

            static inline void fr_global_pool(const float *in, float *out, fr_layout li) {
                for (int c = 0; c < li.c; c++) {
                    float s = 0.f;
                    for (int y = 0; y < li.h; y++)
                        for (int x = 0; x < li.w; x++) s += in[fr_at(li, c, y, x)];
                    out[c] = s / (li.h * li.w);
                }
            }

            /* element-wise ops run over whole planes: the rings are zero in both inputs and stay zero */
            static inline void fr_add(const float *a, const float *b, float *out, int n, int act) {
                for (int i = 0; i < n; i++) out[i] = fr_act(a[i] + b[i], act);
            }

            static inline void fr_activation(const float *in, float *out, int n, int act) {
                for (int i = 0; i < n; i++) out[i] = fr_act(in[i], act);
            }

            static inline void fr_affine(const float *in, float *out, fr_layout l, const float *scale,
                                         const float *shift, int act) {
                for (int c = 0; c < l.c; c++)
                    for (int y = 0; y < l.h; y++)
                        for (int x = 0; x < l.w; x++) {
                            int i = fr_at(l, c, y, x);
                            out[i] = fr_act(in[i] * scale[c] + shift[c], act);
                        }
            }

            /* as EltwiseKernel.softmax (double exp rounded to float, one float reciprocal): bit-identical
               to the JVM on any libm, where expf differs in the last place between x86 and ARM */
            static inline void fr_softmax(const float *in, float *out, int n) {
                float m = in[0];
                for (int i = 1; i < n; i++) m = in[i] > m ? in[i] : m;
                double s = 0;
                for (int i = 0; i < n; i++) { out[i] = (float) __builtin_exp((double) (in[i] - m)); s += out[i]; }
                float inv = (float) (1.0 / s);
                for (int i = 0; i < n; i++) out[i] *= inv;
            }

            /* scalar twin of fr_linear_blk: weights [out][in] */
            static inline void fr_linear_ref(const float *x, float *y, const float *w, const float *bias, int in,
                                             int out, int act) {
                for (int o = 0; o < out; o++) {
                    float s = 0.f;
                    for (int i = 0; i < in; i++) s += w[(size_t) o * in + i] * x[i];
                    y[o] = fr_act(s + bias[o], act);
                }
            }

            #ifdef FR_AVX512
            FR_INLINE __m512 fr_vact(__m512 v, int act) {
                if (act >= 1) v = _mm512_max_ps(v, _mm512_setzero_ps());
                if (act == 2) v = _mm512_min_ps(v, _mm512_set1_ps(6.f));
                return v;
            }

            /*
             * Stores PW vectors whose 16 lanes are output channels (one vector per pixel) as PW consecutive
             * pixels of each channel's plane: a 16 x 16 transpose in registers (4 rounds of 16 shuffles),
             * then one masked store per channel. It replaced a scatter per pixel, which cost the int8 model
             * a fifth of its time (0.090 -> 0.072 ms) and the dense float one ~10 %.
             */
            FR_INLINE void fr_store_t16(float *o, const __m512 *v, const int PW, const int plane, const int channels) {
                __m512 r[16], t[16], u[16];
                _Pragma("GCC unroll 16") for (int j = 0; j < 16; j++) r[j] = j < PW ? v[j] : _mm512_setzero_ps();
                _Pragma("GCC unroll 8") for (int i = 0; i < 8; i++) {
                    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
                    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
                }
                /* u[4g + c]: rows 4g..4g+3 of column 4L + c in 128-bit lane L */
                _Pragma("GCC unroll 4") for (int g = 0; g < 4; g++) {
                    const __m512d a = _mm512_castps_pd(t[4 * g]), b = _mm512_castps_pd(t[4 * g + 1]);
                    const __m512d c = _mm512_castps_pd(t[4 * g + 2]), d = _mm512_castps_pd(t[4 * g + 3]);
                    u[4 * g] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
                    u[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
                    u[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
                    u[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
                }
                /* a 4 x 4 transpose of 128-bit lanes per column residue c */
                _Pragma("GCC unroll 4") for (int c = 0; c < 4; c++) {
                    const __m512 v0 = _mm512_shuffle_f32x4(u[c], u[4 + c], 0x44), v1 = _mm512_shuffle_f32x4(u[c], u[4 + c], 0xEE);
                    const __m512 v2 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0x44), v3 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0xEE);
                    r[c] = _mm512_shuffle_f32x4(v0, v2, 0x88);
                    r[4 + c] = _mm512_shuffle_f32x4(v0, v2, 0xDD);
                    r[8 + c] = _mm512_shuffle_f32x4(v1, v3, 0x88);
                    r[12 + c] = _mm512_shuffle_f32x4(v1, v3, 0xDD);
                }
                const __mmask16 pm = PW >= 16 ? (__mmask16) 0xFFFF : (__mmask16) ((1u << PW) - 1);
                _Pragma("GCC unroll 16") for (int l = 0; l < 16; l++)
                    if (l < channels) _mm512_mask_storeu_ps(o + (size_t) l * plane, pm, r[l]);
            }

            /*
             * Dense "same" stride-1 convolution, one register block: OCV blocks of 16 output channels (the
             * vector lanes) x PW consecutive output pixels of one row. Each tap broadcasts one input pixel
             * against OCV weight vectors (packed [ocb][ic][tap][16]), so only real pixels are computed and
             * no ring column is wasted. Results are transposed into the OC planes (the activation layout).
             */
            FR_INLINE void fr_dense_blk(const float *restrict in, float *restrict out, const float *restrict w,
                                        const float *restrict bias, const int cin, const int plane, const int rs,
                                        const int K, const int cpad, const int OCV, const int PW, const int p0,
                                        const int oc0, const int cout, const int act) {
                const int wstride = cin * K * K * 16;
                __m512 acc[4][16];
                _Pragma("GCC unroll 4") for (int v = 0; v < OCV; v++) {
                    const __m512 b = _mm512_loadu_ps(bias + oc0 + 16 * v);
                    _Pragma("GCC unroll 16") for (int j = 0; j < PW; j++) acc[v][j] = b;
                }
                for (int ic = 0; ic < cin; ic++) {
                    const float *ip = in + ic * plane + p0;
                    const float *wp = w + (size_t) ic * K * K * 16;
                    _Pragma("GCC unroll 7") for (int ky = 0; ky < K; ky++) {
                        _Pragma("GCC unroll 7") for (int kx = 0; kx < K; kx++) {
                            const int o = (ky - cpad) * rs + kx - cpad;
                            __m512 wv[4];
                            _Pragma("GCC unroll 4") for (int v = 0; v < OCV; v++)
                                wv[v] = _mm512_load_ps(wp + v * wstride + (ky * K + kx) * 16);
                            _Pragma("GCC unroll 16") for (int j = 0; j < PW; j++) {
                                const __m512 x = _mm512_set1_ps(ip[o + j]);
                                _Pragma("GCC unroll 4") for (int v = 0; v < OCV; v++)
                                    acc[v][j] = _mm512_fmadd_ps(x, wv[v], acc[v][j]);
                            }
                        }
                    }
                }
                _Pragma("GCC unroll 4") for (int v = 0; v < OCV; v++) {
                    _Pragma("GCC unroll 16") for (int j = 0; j < PW; j++) acc[v][j] = fr_vact(acc[v][j], act);
                    fr_store_t16(out + (size_t) (oc0 + 16 * v) * plane + p0, acc[v], PW, plane, cout - oc0 - 16 * v);
                }
            }

            /* fully connected, NV vectors of 16 outputs held in registers; weights transposed [in][outp] */
            FR_INLINE void fr_linear_blk(const float *restrict x, float *restrict y, const float *restrict wt,
                                         const float *restrict bias, const int in, const int outp, const int o0,
                                         const int NV, const int out, const int act) {
                __m512 acc[16];
                _Pragma("GCC unroll 16") for (int v = 0; v < NV; v++) acc[v] = _mm512_loadu_ps(bias + o0 + 16 * v);
                for (int i = 0; i < in; i++) {
                    const __m512 xv = _mm512_set1_ps(x[i]);
                    /* the weights stream once per call: fetched non-temporally (24 rows ahead) they do not
                       evict the conv layers' straight-line code from L2 (a 256 x 1152 layer is 1.2 MB, L2 is
                       1 MB here); demo 8x fc1 0.0134 ms without, 0.0127 at 8 rows, 0.0121 at 24, 0.0127 at 64 */
                    if (FR_NTA_ROWS > 0 && i + FR_NTA_ROWS < in) {
                        const char *pf = (const char *) (wt + (size_t) (i + FR_NTA_ROWS) * outp + o0);
                        _Pragma("GCC unroll 16") for (int v = 0; v < NV; v++) _mm_prefetch(pf + 64 * v, _MM_HINT_NTA);
                    }
                    const float *row = wt + (size_t) i * outp + o0;
                    _Pragma("GCC unroll 16") for (int v = 0; v < NV; v++)
                        acc[v] = _mm512_fmadd_ps(xv, _mm512_load_ps(row + 16 * v), acc[v]);
                }
                _Pragma("GCC unroll 16") for (int v = 0; v < NV; v++) {
                    const int left = out - o0 - 16 * v;
                    const __mmask16 m = left >= 16 ? (__mmask16) 0xFFFF : (__mmask16) ((1u << left) - 1);
                    _mm512_mask_storeu_ps(y + o0 + 16 * v, m, fr_vact(acc[v], act));
                }
            }
            #endif
            """;

    /** The whole header: the float part, the int8 part, and the include guard's end. */
    static String header() {
        return HEADER + RuntimeInt8Source.TEXT + "#endif\n";
    }

}

package dev.frontier.worker.compile.nativ;

/**
 * The int8 part of {@code frontier_runtime.h}. Quantization, integer sums and the float epilogue are
 * spelled exactly as the JVM int8 kernels (ActivationQuantizer, Int8*ConvKernel, LinearKernel.int8*):
 * the same float operations in the same order (the bundle builds with -ffp-contract=off so no
 * multiply-add is fused), and exact int32 sums, so outputs are bit-identical to the JVM's.
 * The VNNI kernel feeds vpdpbusd u8 activations (code + 128) and subtracts 128 x (sum of the channel's
 * weights) once per output: the zero ring holds code 0 (u8 128) like every other position, so the
 * correction is the same constant at every position.
 */
final class RuntimeInt8Source {
    private RuntimeInt8Source() {
    }

    static final String TEXT = """
            /* ---- int8 ---- */
            #include <stdint.h>
            #if defined(FR_AVX512) && defined(__AVX512VNNI__) && defined(__AVX512BW__)
            #define FR_VNNI 1
            #endif
            typedef int32_t fr_i32u __attribute__((may_alias, aligned(1)));

            /* ActivationQuantizer.code: clamp to +-127, round half away from zero */
            FR_INLINE int8_t fr_q8(float v) {
                float c = v < -127.f ? -127.f : (v > 127.f ? 127.f : v);
                return (int8_t) (int) (c + (c < 0.f ? -0.5f : 0.5f));
            }

            static inline float fr_maxabs(const float *x, size_t n) {
                float m = 0.f;
                for (size_t i = 0; i < n; i++) { float a = x[i] < 0.f ? -x[i] : x[i]; m = a > m ? a : m; }
                return m;
            }

            /* the input scale of an int8 layer: the calibrated one, else this call's max |x| / 127 */
            FR_INLINE float fr_input_scale(float calibrated, const float *x, size_t n) {
                if (calibrated > 0.f) return calibrated;
                float m = fr_maxabs(x, n);
                return m == 0.f ? 1.f : m / 127.f;
            }

            /* scalar twin of the VNNI conv: s8 codes over the planes (ring codes 0), int32 sums */
            static inline void fr_conv8_ref(const float *in, float *out, int8_t *q, const int8_t *w, const float *wscale,
                                            float sx, const float *bias, fr_layout l, int cin, int cout, int k, int pad,
                                            int act) {
                int plane = fr_plane(l), rs = fr_rs(l);
                float inv = 1.f / sx;
                for (size_t i = 0; i < (size_t) cin * plane; i++) q[i] = fr_q8(in[i] * inv);
                for (int oc = 0; oc < cout; oc++) {
                    float sc = wscale[oc] * sx;
                    for (int y = 0; y < l.h; y++)
                        for (int x = 0; x < l.w; x++) {
                            int pos = fr_at(l, 0, y, x), s = 0;
                            for (int ic = 0; ic < cin; ic++)
                                for (int ky = 0; ky < k; ky++)
                                    for (int kx = 0; kx < k; kx++)
                                        s += w[((oc * cin + ic) * k + ky) * k + kx]
                                             * q[ic * plane + pos + (ky - pad) * rs + kx - pad];
                            out[oc * plane + pos] = fr_act((float) s * sc + bias[oc], act);
                        }
                }
            }

            /* LinearKernel.quantizeInput (Math.round = floor(x + 1/2), exact) + int8Scalar */
            static inline void fr_linear8(const float *x, float *y, int8_t *xq, const int8_t *w, const float *scales,
                                          const float *bias, int in, int np, int out, int act) {
                float m = fr_maxabs(x, in);
                float sx = m == 0.f ? 1.f : m / 127.f, inv = 1.f / sx;
                for (int i = 0; i < in; i++) {
                    float v = x[i] * inv, f = __builtin_floorf(v);
                    int r = v - f >= 0.5f ? (int) f + 1 : (int) f;
                    xq[i] = (int8_t) (r < -127 ? -127 : (r > 127 ? 127 : r));
                }
                for (int i = in; i < np; i++) xq[i] = 0;
                for (int r = 0; r < out; r++) {
                    int s = 0;
                    for (int i = 0; i < np; i++) s += w[(size_t) r * np + i] * xq[i];
                    y[r] = fr_act((float) s * (scales[r] * sx) + bias[r], act);
                }
            }

            #ifdef FR_VNNI
            /* fr_linear8 on vpdpbusd: the same codes as u8 (code + 128), 64 per instruction, four rows
               sharing each input load; minus 128 x (the row's weight sum) it is the same exact int32 sum,
               and the same epilogue, so bit-identical to the scalar loop */
            static inline void fr_linear8_vnni(const float *x, float *y, int8_t *xq, const int8_t *w, const int32_t *comp,
                                               const float *scales, const float *bias, int in, int np, int out, int act) {
                float m = fr_maxabs(x, in);
                float sx = m == 0.f ? 1.f : m / 127.f, inv = 1.f / sx;
                uint8_t *xu = (uint8_t *) xq;
                for (int i = 0; i < in; i++) {
                    float v = x[i] * inv, f = __builtin_floorf(v);
                    int r = v - f >= 0.5f ? (int) f + 1 : (int) f;
                    xu[i] = (uint8_t) ((r < -127 ? -127 : (r > 127 ? 127 : r)) + 128);
                }
                for (int i = in; i < np; i++) xu[i] = 128;
                int r = 0;
                for (; r + 4 <= out; r += 4) {
                    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
                    const int8_t *w0 = w + (size_t) r * np;
                    int i = 0;
                    for (; i + 64 <= np; i += 64) {
                        __m512i xv = _mm512_loadu_si512(xu + i);
                        a0 = _mm512_dpbusd_epi32(a0, xv, _mm512_loadu_si512(w0 + i));
                        a1 = _mm512_dpbusd_epi32(a1, xv, _mm512_loadu_si512(w0 + np + i));
                        a2 = _mm512_dpbusd_epi32(a2, xv, _mm512_loadu_si512(w0 + 2 * (size_t) np + i));
                        a3 = _mm512_dpbusd_epi32(a3, xv, _mm512_loadu_si512(w0 + 3 * (size_t) np + i));
                    }
                    if (i < np) {
                        const __mmask64 k = (1ULL << (np - i)) - 1;
                        __m512i xv = _mm512_maskz_loadu_epi8(k, xu + i);
                        a0 = _mm512_dpbusd_epi32(a0, xv, _mm512_maskz_loadu_epi8(k, w0 + i));
                        a1 = _mm512_dpbusd_epi32(a1, xv, _mm512_maskz_loadu_epi8(k, w0 + np + i));
                        a2 = _mm512_dpbusd_epi32(a2, xv, _mm512_maskz_loadu_epi8(k, w0 + 2 * (size_t) np + i));
                        a3 = _mm512_dpbusd_epi32(a3, xv, _mm512_maskz_loadu_epi8(k, w0 + 3 * (size_t) np + i));
                    }
                    const __m512i acc[4] = {a0, a1, a2, a3};
                    for (int j = 0; j < 4; j++) {
                        int s = _mm512_reduce_add_epi32(acc[j]) - comp[r + j];
                        y[r + j] = fr_act((float) s * (scales[r + j] * sx) + bias[r + j], act);
                    }
                }
                /* the last rows one at a time on the same instructions. (A scalar loop of w * (xu - 128)
                   here was miscompiled by gcc 12's vectorizer at -O2/-O3 -march=native on Zen 5: wrong sums for a
                   layer of 5 rows over 2646 inputs, right at -O1 or -fno-tree-vectorize.) */
                for (; r < out; r++) {
                    __m512i a0 = _mm512_setzero_si512();
                    const int8_t *w0 = w + (size_t) r * np;
                    int i = 0;
                    for (; i + 64 <= np; i += 64) a0 = _mm512_dpbusd_epi32(a0, _mm512_loadu_si512(xu + i), _mm512_loadu_si512(w0 + i));
                    if (i < np) {
                        const __mmask64 k = (1ULL << (np - i)) - 1;
                        a0 = _mm512_dpbusd_epi32(a0, _mm512_maskz_loadu_epi8(k, xu + i), _mm512_maskz_loadu_epi8(k, w0 + i));
                    }
                    int s = _mm512_reduce_add_epi32(a0) - comp[r];
                    y[r] = fr_act((float) s * (scales[r] * sx) + bias[r], act);
                }
            }

            /* A conv whose input has fewer than 4 channels (the first layer) wastes most of each 4-wide
               vpdpbusd in the channel-packed layout; as a 1x1 problem over an im2col of the codes it does
               not: reduction index r = tap * cin + ic, packed [ceil(R/4)][plane][4] at the interior pixels
               (the only ones a 1x1 kernel reads). plane8: the codes + 128 of the cin planes, ring included. */
            static inline void fr_im2col_u8x4(const float *in, uint8_t *q, uint8_t *plane8, int cin, int K, int cpad,
                                              int plane, int rs, int H, int W, int lpad, float inv) {
                const __m512 lo = _mm512_set1_ps(-127.f), hi = _mm512_set1_ps(127.f), vinv = _mm512_set1_ps(inv);
                const __m512 half = _mm512_set1_ps(0.5f), sign = _mm512_set1_ps(-0.f);
                const __m128i flip = _mm_set1_epi8((char) 0x80);
                const size_t n = (size_t) cin * plane;
                size_t i = 0;
                for (; i + 16 <= n; i += 16) {
                    __m512 v = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(_mm512_loadu_ps(in + i), vinv), lo), hi);
                    __m512 h = _mm512_or_ps(_mm512_and_ps(v, sign), half);
                    __m128i b = _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(_mm512_add_ps(v, h)));
                    _mm_storeu_si128((__m128i *) (plane8 + i), _mm_xor_si128(b, flip));
                }
                for (; i < n; i++) plane8[i] = (uint8_t) (fr_q8(in[i] * inv) ^ 0x80);
                const int R = cin * K * K;
                for (int g = 0; g < (R + 3) / 4; g++) {
                    long off[4];
                    int valid[4];
                    for (int j = 0; j < 4; j++) {
                        const int r = 4 * g + j, t = r / cin, ic = r % cin;
                        valid[j] = r < R;
                        off[j] = valid[j] ? (long) ic * plane + (long) (t / K - cpad) * rs + (t % K - cpad) : 0;
                    }
                    uint8_t *qg = q + (size_t) g * plane * 4;
                    for (int y = 0; y < H; y++) {
                        const long p0 = (long) (y + lpad) * rs + lpad;
                        int x = 0;
                        for (; x + 16 <= W; x += 16) {
                            __m128i b[4];
                            for (int j = 0; j < 4; j++)
                                b[j] = valid[j] ? _mm_loadu_si128((const __m128i *) (plane8 + off[j] + p0 + x)) : flip;
                            __m128i ab0 = _mm_unpacklo_epi8(b[0], b[1]), ab1 = _mm_unpackhi_epi8(b[0], b[1]);
                            __m128i cd0 = _mm_unpacklo_epi8(b[2], b[3]), cd1 = _mm_unpackhi_epi8(b[2], b[3]);
                            __m128i *o = (__m128i *) (qg + (size_t) (p0 + x) * 4);
                            _mm_storeu_si128(o, _mm_unpacklo_epi16(ab0, cd0));
                            _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(ab0, cd0));
                            _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(ab1, cd1));
                            _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(ab1, cd1));
                        }
                        for (; x < W; x++)
                            for (int j = 0; j < 4; j++)
                                qg[(size_t) (p0 + x) * 4 + j] = valid[j] ? plane8[off[j] + p0 + x] : 0x80;
                    }
                }
            }

            /* quantizes cin planes into [ic/4][plane][4] bytes of code + 128 (padded channels: code 0) */
            static inline void fr_quant_u8x4(const float *in, uint8_t *q, int cin, int plane, float inv) {
                const __m512 lo = _mm512_set1_ps(-127.f), hi = _mm512_set1_ps(127.f), vinv = _mm512_set1_ps(inv);
                const __m512 half = _mm512_set1_ps(0.5f), sign = _mm512_set1_ps(-0.f);
                const __m128i flip = _mm_set1_epi8((char) 0x80);
                for (int g = 0; g < (cin + 3) / 4; g++) {
                    const float *c[4];
                    for (int j = 0; j < 4; j++) c[j] = 4 * g + j < cin ? in + (size_t) (4 * g + j) * plane : 0;
                    uint8_t *qg = q + (size_t) g * plane * 4;
                    int p = 0;
                    for (; p + 16 <= plane; p += 16) {
                        __m128i b[4];
                        for (int j = 0; j < 4; j++) {
                            if (!c[j]) { b[j] = _mm_setzero_si128(); continue; }
                            __m512 v = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(_mm512_loadu_ps(c[j] + p), vinv), lo), hi);
                            __m512 h = _mm512_or_ps(_mm512_and_ps(v, sign), half);
                            b[j] = _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(_mm512_add_ps(v, h)));
                        }
                        __m128i ab0 = _mm_unpacklo_epi8(b[0], b[1]), ab1 = _mm_unpackhi_epi8(b[0], b[1]);
                        __m128i cd0 = _mm_unpacklo_epi8(b[2], b[3]), cd1 = _mm_unpackhi_epi8(b[2], b[3]);
                        __m128i *o = (__m128i *) (qg + (size_t) p * 4);
                        _mm_storeu_si128(o, _mm_xor_si128(_mm_unpacklo_epi16(ab0, cd0), flip));
                        _mm_storeu_si128(o + 1, _mm_xor_si128(_mm_unpackhi_epi16(ab0, cd0), flip));
                        _mm_storeu_si128(o + 2, _mm_xor_si128(_mm_unpacklo_epi16(ab1, cd1), flip));
                        _mm_storeu_si128(o + 3, _mm_xor_si128(_mm_unpackhi_epi16(ab1, cd1), flip));
                    }
                    for (; p < plane; p++)
                        for (int j = 0; j < 4; j++)
                            qg[(size_t) p * 4 + j] = (uint8_t) ((c[j] ? fr_q8(c[j][p] * inv) : 0) ^ 0x80);
                }
            }

            /*
             * Dense int8 conv block, as fr_dense_blk: OCV x 16 output channels x PW pixels; per (4 input
             * channels, tap) one 32-bit broadcast of 4 activation bytes feeds vpdpbusd against OCV weight
             * vectors packed [ocb][ic/4][tap][16][4] (4 MACs per lane per instruction).
             */
            FR_INLINE void fr_dense8_blk(const uint8_t *restrict q, float *restrict out, const int8_t *restrict w,
                                         const int32_t *restrict comp, const float *restrict scale,
                                         const float *restrict bias, const int icq, const int plane, const int rs,
                                         const int K, const int cpad, const int OCV, const int PW, const int p0,
                                         const int oc0, const int cout, const int act) {
                const int wstride = icq * K * K * 64;
                __m512i acc[4][16];
                _Pragma("GCC unroll 4") for (int v = 0; v < OCV; v++)
                    _Pragma("GCC unroll 16") for (int j = 0; j < PW; j++) acc[v][j] = _mm512_setzero_si512();
                for (int g = 0; g < icq; g++) {
                    const fr_i32u *ip = (const fr_i32u *) q + (size_t) g * plane + p0;
                    const int8_t *wp = w + (size_t) g * K * K * 64;
                    _Pragma("GCC unroll 7") for (int ky = 0; ky < K; ky++) {
                        _Pragma("GCC unroll 7") for (int kx = 0; kx < K; kx++) {
                            const int o = (ky - cpad) * rs + kx - cpad;
                            __m512i wv[4];
                            _Pragma("GCC unroll 4") for (int v = 0; v < OCV; v++)
                                wv[v] = _mm512_load_si512((const void *) (wp + (size_t) v * wstride + (ky * K + kx) * 64));
                            _Pragma("GCC unroll 16") for (int j = 0; j < PW; j++) {
                                const __m512i x = _mm512_set1_epi32(ip[o + j]);
                                _Pragma("GCC unroll 4") for (int v = 0; v < OCV; v++)
                                    acc[v][j] = _mm512_dpbusd_epi32(acc[v][j], x, wv[v]);
                            }
                        }
                    }
                }
                _Pragma("GCC unroll 4") for (int v = 0; v < OCV; v++) {
                    const __m512i c = _mm512_load_si512((const void *) (comp + oc0 + 16 * v));
                    const __m512 sc = _mm512_loadu_ps(scale + oc0 + 16 * v), b = _mm512_loadu_ps(bias + oc0 + 16 * v);
                    __m512 r[16];
                    _Pragma("GCC unroll 16") for (int j = 0; j < PW; j++) {
                        const __m512 f = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[v][j], c));
                        r[j] = fr_vact(_mm512_add_ps(_mm512_mul_ps(f, sc), b), act);
                    }
                    fr_store_t16(out + (size_t) (oc0 + 16 * v) * plane + p0, r, PW, plane, cout - oc0 - 16 * v);
                }
            }
            #endif
            """;
}

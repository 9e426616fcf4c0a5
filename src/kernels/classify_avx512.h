/*
 * classify_avx512.h - csvb_classify_span for AVX-512 (x86-64-v4) with the per-row booleans
 * kept in 64-bit mask registers: one bit per row, 64 rows per step.
 *
 * Why: past the caches the portable kernel is limited by the misses one core keeps in flight,
 * which falls as its loop grows. GCC's vectorisation of csvb_rule() spends ~30 of its ~100
 * instructions per 64 rows moving mask bytes between 64-, 32- and 8-bit lanes. Here each
 * test is one instruction into a k-register (vptestmd, vpcmpq), the rule itself is plain
 * 64-bit integer logic on those bit-sets, and the output bytes are assembled with masked
 * byte moves. Same rule, same status bits: tests/test_classify_oracle.py runs every kernel
 * clone against the oracle (csvbackup._csvcore.select_isa).
 *
 * Internal to the extension; included only by kernels.c inside a target("...avx512...")
 * region.
 */
#ifndef CSVBACKUP_SRC_CLASSIFY_AVX512_H
#define CSVBACKUP_SRC_CLASSIFY_AVX512_H

#include <immintrin.h>

#include "csvbackup/vss.h"

#define CSVB_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

/* Eight 8-bit compare masks (8 rows each) as one 64-row bit-set. */
CSVB_AVX512 CSVB_INLINE uint64_t csvb_join8(const __mmask8 k[8])
{
    return (uint64_t)k[0] | ((uint64_t)k[1] << 8) | ((uint64_t)k[2] << 16) | ((uint64_t)k[3] << 24)
           | ((uint64_t)k[4] << 32) | ((uint64_t)k[5] << 40) | ((uint64_t)k[6] << 48)
           | ((uint64_t)k[7] << 56);
}

/* Four 16-bit test masks (16 rows each) as one 64-row bit-set. */
CSVB_AVX512 CSVB_INLINE uint64_t csvb_join16(const __mmask16 k[4])
{
    return (uint64_t)k[0] | ((uint64_t)k[1] << 16) | ((uint64_t)k[2] << 32)
           | ((uint64_t)k[3] << 48);
}

CSVB_AVX512 CSVB_INLINE uint32_t csvb_avx512_span_(const csvb_classify_args *a, size_t begin,
                                                   size_t end, int types_vary, int have_entries,
                                                   int have_mtimes, int diff_since_vary)
{
    const uint32_t *masks = a->masks;
    const int64_t *diff_since = a->differenced_since;
    const int64_t since = a->since, ds0 = a->differenced_since0;
    const uint32_t type0 = a->type;
    const uint64_t ALL = ~(uint64_t)0;
    /* loop invariants of a scalar type and a scalar threshold */
    const uint32_t cb0 = csvb_copy_bit(type0);
    const uint64_t other0 = type0 == 6u ? ALL : 0, incr_or_diff0 = type0 - 2u < 2u ? ALL : 0;
    const uint64_t tis0 = ds0 == 0 ? ALL : 0;
    const __m512i since_v = _mm512_set1_epi64(since);
    const __m512i thr0_v = _mm512_set1_epi64(ds0 == 0 ? since : ds0);
    const __m512i invalid_v = _mm512_set1_epi32((int)~CSVB_VALID_MASK_BITS);
    const __m512i created_v = _mm512_set1_epi32(0x10000);
    /* copy bit per type 0..15 (csvb_copy_bit), for vpshufb; snapshot bit = copy bit << 8 */
    const __m512i cb_lut =
        _mm512_broadcast_i32x4(_mm_setr_epi8(0, 1, 4, 2, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    __m512i junk = _mm512_setzero_si512(), neg_mt = junk, neg_ds = junk;
    uint64_t bad_type = 0, bad_entry = 0, any_uses_since = 0, any_uses_mtime = 0;
    size_t i = begin;
    uint32_t status;

    for (; i + 64 <= end; i += 64) {
        uint64_t other = other0, incr_or_diff = incr_or_diff0, tis = tis0;
        uint64_t copy_hit, snap_hit, created, ge_since, ge_thr;
        uint64_t excluded = 0, differenced = 0, partial = 0;
        __m512i cb8 = _mm512_setzero_si512();
        __mmask16 kc[4], ks[4], kd[4];
        __mmask8 kg[8], kt[8], kz[8];
        int q;

        if (types_vary) {
            const __m512i t8 = _mm512_loadu_si512((const void *)(a->types + i));
            const __m512i t_minus_1 = _mm512_sub_epi8(t8, _mm512_set1_epi8(1));
            /* vpshufb reads only the low 4 bits: types >= 16 must get no bit (csvb_copy_bit) */
            cb8 = _mm512_maskz_shuffle_epi8(_mm512_cmplt_epu8_mask(t8, _mm512_set1_epi8(16)),
                                            cb_lut, t8);
            other = _mm512_cmpeq_epi8_mask(t8, _mm512_set1_epi8(6));
            incr_or_diff = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(t8, _mm512_set1_epi8(2)),
                                                  _mm512_set1_epi8(2));
            bad_type |= _mm512_cmpge_epu8_mask(t_minus_1, _mm512_set1_epi8(6));
        }
        for (q = 0; q < 4; ++q) {
            const __m512i m = _mm512_loadu_si512((const void *)(masks + i + 16 * q));
            junk = _mm512_ternarylogic_epi32(junk, m, invalid_v, 0xF8); /* junk | (m & inv) */
            kd[q] = _mm512_test_epi32_mask(m, created_v);
            if (!types_vary) {
                kc[q] = _mm512_test_epi32_mask(m, _mm512_set1_epi32((int)cb0));
                ks[q] = _mm512_test_epi32_mask(m, _mm512_set1_epi32((int)(cb0 << 8)));
            }
        }
        if (types_vary) {
            /* per-row copy bits: widen each 16-row quarter of cb8 to dwords */
            for (q = 0; q < 4; ++q) {
                const __m512i m = _mm512_loadu_si512((const void *)(masks + i + 16 * q));
                __m128i quarter;
                __m512i cb;
                switch (q) {
                case 0: quarter = _mm512_extracti32x4_epi32(cb8, 0); break;
                case 1: quarter = _mm512_extracti32x4_epi32(cb8, 1); break;
                case 2: quarter = _mm512_extracti32x4_epi32(cb8, 2); break;
                default: quarter = _mm512_extracti32x4_epi32(cb8, 3); break;
                }
                cb = _mm512_cvtepu8_epi32(quarter);
                kc[q] = _mm512_test_epi32_mask(m, cb);
                ks[q] = _mm512_test_epi32_mask(m, _mm512_slli_epi32(cb, 8));
            }
        }
        copy_hit = csvb_join16(kc);
        snap_hit = csvb_join16(ks);
        created = csvb_join16(kd);

        for (q = 0; q < 8; ++q) {
            const __m512i t = have_mtimes
                                  ? _mm512_loadu_si512((const void *)(a->mtimes + i + 8 * q))
                                  : _mm512_setzero_si512();
            if (have_mtimes)
                neg_mt = _mm512_or_si512(neg_mt, t);
            kg[q] = _mm512_cmpge_epi64_mask(t, since_v);
            if (diff_since_vary) {
                const __m512i ds = _mm512_loadu_si512((const void *)(diff_since + i + 8 * q));
                neg_ds = _mm512_or_si512(neg_ds, ds);
                kz[q] = _mm512_testn_epi64_mask(ds, ds);
                kt[q] = _mm512_cmpge_epi64_mask(t, _mm512_mask_blend_epi64(kz[q], ds, since_v));
            } else {
                kt[q] = _mm512_cmpge_epi64_mask(t, thr0_v);
            }
        }
        ge_since = csvb_join8(kg);
        ge_thr = csvb_join8(kt);
        if (diff_since_vary)
            tis = csvb_join8(kz);

        if (have_entries) {
            const __m512i e8 = _mm512_loadu_si512((const void *)(a->entries + i));
            excluded = _mm512_test_epi8_mask(e8, _mm512_set1_epi8(1));
            differenced = _mm512_test_epi8_mask(e8, _mm512_set1_epi8(2));
            partial = _mm512_test_epi8_mask(e8, _mm512_set1_epi8(4)) & ~differenced;
            bad_entry |= _mm512_test_epi8_mask(e8, _mm512_set1_epi8((char)0xF8));
        }

        {
            /* csvb_rule(), on 64 rows at once */
            const uint64_t by_mask = ~(differenced | partial);
            const uint64_t diff_copy = differenced & ge_thr;
            const uint64_t mask_copy = other | copy_hit;
            const uint64_t mtime_rule = by_mask & incr_or_diff & ~mask_copy;
            const uint64_t mtime_copy = mtime_rule & ge_since;
            const uint64_t copy = diff_copy | (by_mask & (mask_copy | mtime_copy));
            const uint64_t snapshot = (copy | partial) & (other | snap_hit);
            const uint64_t included = ~excluded;
            __m512i d;
            any_uses_since |= included & ((differenced & tis) | mtime_rule);
            if (!have_mtimes)
                any_uses_mtime |= included & (differenced | mtime_rule);
            d = _mm512_maskz_mov_epi8(copy & included, _mm512_set1_epi8(CSVB_DECISION_COPY));
            d = _mm512_mask_add_epi8(d, snapshot & included, d,
                                     _mm512_set1_epi8(CSVB_DECISION_SNAPSHOT));
            d = _mm512_mask_add_epi8(d, partial & included, d,
                                     _mm512_set1_epi8(CSVB_DECISION_PARTIAL));
            d = _mm512_mask_add_epi8(d, created & included, d,
                                     _mm512_set1_epi8(CSVB_DECISION_CREATED_DURING_BACKUP));
            d = _mm512_mask_add_epi8(d, (diff_copy | mtime_copy) & included, d,
                                     _mm512_set1_epi8(CSVB_DECISION_BY_MTIME));
            d = _mm512_mask_mov_epi8(d, excluded, _mm512_set1_epi8(CSVB_DECISION_EXCLUDED));
            _mm512_storeu_si512((void *)(a->out + i), d);
        }
    }

    status = csvb_classify_span_(a, i, end, types_vary, have_entries, have_mtimes, diff_since_vary);
    if (begin >= i)
        return status;
    return status | (uint32_t)(_mm512_test_epi32_mask(junk, junk) != 0)
           | ((uint32_t)(bad_type != 0 || (!types_vary && type0 - 1u >= 6u)) << 1)
           | ((uint32_t)(bad_entry != 0) << 2)
           | ((uint32_t)(_mm512_movepi64_mask(neg_mt) != 0) << 3)
           | ((uint32_t)(_mm512_movepi64_mask(neg_ds) != 0 || (!diff_since_vary && ds0 < 0)) << 4)
           | ((uint32_t)(any_uses_since != 0 && since < 0) << 5)
           | ((uint32_t)(any_uses_mtime != 0) << 6);
}

/* csvb_classify_span with this kernel: one specialised loop per combination of inputs. */
CSVB_AVX512 CSVB_INLINE uint32_t csvb_avx512_span(const csvb_classify_args *a, size_t begin,
                                                  size_t end)
{
    CSVB_DISPATCH_SPAN(csvb_avx512_span_, a, begin, end);
}

#endif

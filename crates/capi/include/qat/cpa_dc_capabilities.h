/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: per-capability queries for compression instances.
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_DC_CAPABILITIES_H
#define CPA_DC_CAPABILITIES_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa.h"
#include "cpa_dc.h"

/* Capability identifiers; the name says which member of
   CpaDcCapabilityResp carries the answer (BOOL or U32). */
typedef enum
{
    CPA_DC_CAP_BOOL_STATELESS = 0,
    CPA_DC_CAP_BOOL_STATEFUL = 1,
    CPA_DC_CAP_BOOL_STATEFUL_LITE = 2,
    CPA_DC_CAP_BOOL_WINDOW_SIZE_4K = 3,
    CPA_DC_CAP_BOOL_WINDOW_SIZE_8K = 4,
    CPA_DC_CAP_BOOL_WINDOW_SIZE_16K = 5,
    CPA_DC_CAP_BOOL_WINDOW_SIZE_32K = 6,
    CPA_DC_CAP_BOOL_WINDOW_SIZE_64K = 7,
    CPA_DC_CAP_U32_DEFAULT_WINDOW_SIZE = 8,
    CPA_DC_CAP_BOOL_DYNAMIC_HUFFMAN = 9,
    CPA_DC_CAP_BOOL_STATIC_HUFFMAN = 10,
    CPA_DC_CAP_BOOL_BLOCK_CHECKSUM = 11,
    CPA_DC_CAP_BOOL_ACCUMULATE_XXHASH = 12,
    CPA_DC_CAP_BOOL_BLOCK_SIZE_64K = 13,
    CPA_DC_CAP_BOOL_BLOCK_SIZE_256K = 14,
    CPA_DC_CAP_BOOL_BLOCK_SIZE_1M = 15,
    CPA_DC_CAP_BOOL_BLOCK_SIZE_4M = 16,
    CPA_DC_CAP_U32_BLOCK_SIZE_BITMASK = 17,
    CPA_DC_CAP_BOOL_CHECKSUM_CRC32 = 18,
    CPA_DC_CAP_BOOL_CHECKSUM_ADLER32 = 19,
    CPA_DC_CAP_BOOL_CHECKSUM_XXHASH32 = 20,
    CPA_DC_CAP_BOOL_CHECKSUM_XXHASH64 = 21,
    CPA_DC_CAP_BOOL_ASB = 22,
    CPA_DC_CAP_BOOL_ASB_THRESHOLD = 23,
    CPA_DC_CAP_BOOL_ASB_RATIO = 24,
    CPA_DC_CAP_BOOL_ASB_ENABLE_PREFERRED = 25,
    CPA_DC_CAP_BOOL_DETERMINISM = 26,
    CPA_DC_CAP_BOOL_OVERFLOW_RESUBMIT = 27,
    CPA_DC_CAP_BOOL_COMPRESS_N_VERIFY = 28,
    CPA_DC_CAP_BOOL_COMPRESS_N_VERIFY_N_RECOVER = 29,
    CPA_DC_CAP_BOOL_INTEGRITY_CRC32 = 30,
    CPA_DC_CAP_BOOL_INTEGRITY_CRC64 = 31,
    CPA_DC_CAP_BOOL_CHAIN_HASH_THEN_COMPRESS = 32,
    CPA_DC_CAP_BOOL_CHAIN_COMPRESS_THEN_AEAD = 33,
    CPA_DC_CAP_BOOL_CHAIN_AEAD_THEN_DECOMPRESS = 34,
    CPA_DC_CAP_BOOL_UNCOMPRESSED_DICT = 35,
    CPA_DC_CAP_BOOL_COMPRESSED_DICT = 36,
    CPA_DC_CAP_BOOL_ZERO_LENGTH_REQ = 37,
    CPA_DC_CAP_BOOL_PROGRAMMABLE_CRC64 = 38,
    CPA_DC_CAP_BOOL_CHAIN_PROGRAMMABLE_CRC64 = 39,
    CPA_DC_CAP_BOOL_E2E_CRC_OVER_COMP_BLOCK = 40,
    CPA_DC_CAP_BOOL_DICT_ID = 41,
} CpaDcCapabilityId;

/* What to ask: algorithm, direction (compress or decompress), capability. */
typedef struct
{
    CpaDcCompType algo;
    CpaDcDir dir;
    CpaDcCapabilityId capId;
} CpaDcCapabilityReq;

/* Answer to a capability query (8 bytes). */
typedef union {
    CpaBoolean boolStatus;
    Cpa32U u32Status;
    Cpa64U u64Status;
} CpaDcCapabilityResp;

/* Answer one capability query; UNSUPPORTED means "unknown capability". */
CpaStatus cpaDcQueryCapabilityByType(CpaInstanceHandle dcInstance,
                                     CpaDcCapabilityReq capabilityReq,
                                     CpaDcCapabilityResp *pCapabilityResp);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_DC_CAPABILITIES_H */

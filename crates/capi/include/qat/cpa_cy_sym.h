/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: symmetric crypto API (cipher, hash, chained and authenticated
   cipher sessions and operations). API facts from qatlib 26.08's public
   headers; written for softqat. */

#ifndef CPA_CY_SYM_H
#define CPA_CY_SYM_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Caller-allocated session memory, sized by cpaCySymSessionCtxGetSize or
   cpaCySymSessionCtxGetDynamicSize and set up by cpaCySymInitSession. */
typedef void *CpaCySymSessionCtx;

/* Whole message, or one part of a multi-part (partial) message. */
typedef enum
{
    CPA_CY_SYM_PACKET_TYPE_FULL = 1,
    CPA_CY_SYM_PACKET_TYPE_PARTIAL,
    CPA_CY_SYM_PACKET_TYPE_LAST_PARTIAL
} CpaCySymPacketType;

/* What a session does: nothing, cipher, hash, or both chained (also used
   for AEAD: GCM, CCM, ChaCha20-Poly1305). */
typedef enum
{
    CPA_CY_SYM_OP_NONE = 0,
    CPA_CY_SYM_OP_CIPHER,
    CPA_CY_SYM_OP_HASH,
    CPA_CY_SYM_OP_ALGORITHM_CHAINING
} CpaCySymOp;

/* Cipher algorithm and mode. The value is also the bit number in
   CpaCySymCapabilitiesInfo.ciphers. */
typedef enum
{
    CPA_CY_SYM_CIPHER_NULL = 1,
    CPA_CY_SYM_CIPHER_ARC4 = 2,
    CPA_CY_SYM_CIPHER_AES_ECB = 3,
    CPA_CY_SYM_CIPHER_AES_CBC = 4,
    CPA_CY_SYM_CIPHER_AES_CTR = 5,
    CPA_CY_SYM_CIPHER_AES_CCM = 6,
    CPA_CY_SYM_CIPHER_AES_GCM = 7,
    CPA_CY_SYM_CIPHER_DES_ECB = 8,
    CPA_CY_SYM_CIPHER_DES_CBC = 9,
    CPA_CY_SYM_CIPHER_3DES_ECB = 10,
    CPA_CY_SYM_CIPHER_3DES_CBC = 11,
    CPA_CY_SYM_CIPHER_3DES_CTR = 12,
    CPA_CY_SYM_CIPHER_KASUMI_F8 = 13,
    CPA_CY_SYM_CIPHER_SNOW3G_UEA2 = 14,
    CPA_CY_SYM_CIPHER_AES_F8 = 15,
    CPA_CY_SYM_CIPHER_AES_XTS = 16,
    CPA_CY_SYM_CIPHER_ZUC_EEA3 = 17,
    CPA_CY_SYM_CIPHER_CHACHA = 18,
    CPA_CY_SYM_CIPHER_SM4_ECB = 19,
    CPA_CY_SYM_CIPHER_SM4_CBC = 20,
    CPA_CY_SYM_CIPHER_SM4_CTR = 21
} CpaCySymCipherAlgorithm;

/* Bits in the cipher capability bitmap. */
#define CPA_CY_SYM_CIPHER_CAP_BITMAP_SIZE (32)

/* Encrypt or decrypt. */
typedef enum
{
    CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT = 1,
    CPA_CY_SYM_CIPHER_DIRECTION_DECRYPT
} CpaCySymCipherDirection;

/* Context for a NIST SP 800-108 key derivation (see CpaCySymOpData2). */
typedef struct
{
    Cpa8U *pContext;
    Cpa16U contextLen;
} CpaCySymDeriveOpData;

/* Cipher part of a session: algorithm, key (for XTS both keys, for F8 key
   then key mask) and direction. */
typedef struct
{
    CpaCySymCipherAlgorithm cipherAlgorithm;
    Cpa32U cipherKeyLenInBytes;
    Cpa8U *pCipherKey;
    CpaCySymCipherDirection cipherDirection;
} CpaCySymCipherSetupData;

/* Plain hash, keyed (HMAC or MAC) hash, or nested hash. */
typedef enum
{
    CPA_CY_SYM_HASH_MODE_PLAIN = 1,
    CPA_CY_SYM_HASH_MODE_AUTH,
    CPA_CY_SYM_HASH_MODE_NESTED
} CpaCySymHashMode;

/* Hash or authentication algorithm. The value is also the bit number in
   CpaCySymCapabilitiesInfo.hashes. */
typedef enum
{
    CPA_CY_SYM_HASH_NONE = 0,
    CPA_CY_SYM_HASH_MD5 = 1,
    CPA_CY_SYM_HASH_SHA1 = 2,
    CPA_CY_SYM_HASH_SHA224 = 3,
    CPA_CY_SYM_HASH_SHA256 = 4,
    CPA_CY_SYM_HASH_SHA384 = 5,
    CPA_CY_SYM_HASH_SHA512 = 6,
    CPA_CY_SYM_HASH_AES_XCBC = 7,
    CPA_CY_SYM_HASH_AES_CCM = 8,
    CPA_CY_SYM_HASH_AES_GCM = 9,
    CPA_CY_SYM_HASH_KASUMI_F9 = 10,
    CPA_CY_SYM_HASH_SNOW3G_UIA2 = 11,
    CPA_CY_SYM_HASH_AES_CMAC = 12,
    CPA_CY_SYM_HASH_AES_GMAC = 13,
    CPA_CY_SYM_HASH_AES_CBC_MAC = 14,
    CPA_CY_SYM_HASH_ZUC_EIA3 = 15,
    CPA_CY_SYM_HASH_SHA3_256 = 16,
    CPA_CY_SYM_HASH_SHA3_224 = 17,
    CPA_CY_SYM_HASH_SHA3_384 = 18,
    CPA_CY_SYM_HASH_SHA3_512 = 19,
    CPA_CY_SYM_HASH_SHAKE_128 = 20,
    CPA_CY_SYM_HASH_SHAKE_256 = 21,
    CPA_CY_SYM_HASH_POLY = 22,
    CPA_CY_SYM_HASH_SM3 = 23
} CpaCySymHashAlgorithm;

/* Bits in the hash capability bitmap. */
#define CPA_CY_SYM_HASH_CAP_BITMAP_SIZE (32)

/* Nested-mode hash setup: inner and outer prefixes (at most 255 bytes each)
   and the outer algorithm. */
typedef struct
{
    Cpa8U *pInnerPrefixData;
    Cpa32U innerPrefixLenInBytes;
    CpaCySymHashAlgorithm outerHashAlgorithm;
    Cpa8U *pOuterPrefixData;
    Cpa32U outerPrefixLenInBytes;
} CpaCySymHashNestedModeSetupData;

/* Auth-mode hash setup: key (ignored for GCM and CCM, which use the cipher
   key) and the AAD length of AEAD and SNOW3G UIA2 sessions. */
typedef struct
{
    Cpa8U *authKey;
    Cpa32U authKeyLenInBytes;
    Cpa32U aadLenInBytes;
} CpaCySymHashAuthModeSetupData;

/* Hash part of a session: algorithm, mode, digest length and the
   mode-specific setup. */
typedef struct
{
    CpaCySymHashAlgorithm hashAlgorithm;
    CpaCySymHashMode hashMode;
    Cpa32U digestResultLenInBytes;
    CpaCySymHashAuthModeSetupData authModeSetupData;
    CpaCySymHashNestedModeSetupData nestedModeSetupData;
} CpaCySymHashSetupData;

/* Order of the two steps of a chained session. */
typedef enum
{
    CPA_CY_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER = 1,
    CPA_CY_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH
} CpaCySymAlgChainOrder;

/* Everything fixed for the life of a session. */
typedef struct
{
    CpaCyPriority sessionPriority;
    CpaCySymOp symOperation;
    CpaCySymCipherSetupData cipherSetupData;
    CpaCySymHashSetupData hashSetupData;
    CpaCySymAlgChainOrder algChainOrder;
    CpaBoolean digestIsAppended;
    CpaBoolean verifyDigest;
    CpaBoolean partialsNotRequired;
} CpaCySymSessionSetupData;

/* New keys or direction for cpaCySymUpdateSession; flags says which of the
   fields below are used (CPA_CY_SYM_SESUPD_*). */
typedef struct
{
    Cpa32U flags;
#define CPA_CY_SYM_SESUPD_CIPHER_KEY 1 << 0
#define CPA_CY_SYM_SESUPD_CIPHER_DIR 1 << 1
#define CPA_CY_SYM_SESUPD_AUTH_KEY 1 << 2
    Cpa8U *pCipherKey;
    CpaCySymCipherDirection cipherDirection;
    Cpa8U *authKey;
} CpaCySymSessionUpdateData;

/* One request: session, packet type, IV or counter, the cipher and hash
   regions of the source buffer, digest location and AAD. Caller memory
   that must stay valid until the request completes. */
typedef struct
{
    CpaCySymSessionCtx sessionCtx;
    CpaCySymPacketType packetType;
    Cpa8U *pIv;
    Cpa32U ivLenInBytes;
    Cpa32U cryptoStartSrcOffsetInBytes;
    Cpa32U messageLenToCipherInBytes;
    Cpa32U hashStartSrcOffsetInBytes;
    Cpa32U messageLenToHashInBytes;
    Cpa8U *pDigestResult;
    Cpa8U *pAdditionalAuthData;
} CpaCySymOpData;

/* CpaCySymOpData followed by key-derivation context data. */
typedef struct
{
    CpaCySymOpData symOpData;
    CpaCySymDeriveOpData deriveCtxData;
} CpaCySymOpData2;

/* CCM: copies the nonce to pIv[1] and pAdditionalAuthData[1] (needs
   <string.h>). */
#define CPA_CY_SYM_CCM_SET_NONCE(pOpData, pNonce, nonceLen)                    \
    do                                                                         \
    {                                                                          \
        memcpy(&pOpData->pIv[1], pNonce, nonceLen);                            \
        memcpy(&pOpData->pAdditionalAuthData[1], pNonce, nonceLen);            \
    } while (0)

/* CCM: copies the AAD to pAdditionalAuthData[18] (needs <string.h>). */
#define CPA_CY_SYM_CCM_SET_AAD(pOpData, pAad, aadLen)                          \
    do                                                                         \
    {                                                                          \
        memcpy(&pOpData->pAdditionalAuthData[18], pAad, aadLen);               \
    } while (0)

/* 32-bit symmetric statistics (deprecated; use CpaCySymStats64). */
typedef struct
{
    Cpa32U numSessionsInitialized;
    Cpa32U numSessionsRemoved;
    Cpa32U numSessionErrors;
    Cpa32U numSymOpRequests;
    Cpa32U numSymOpRequestErrors;
    Cpa32U numSymOpCompleted;
    Cpa32U numSymOpCompletedErrors;
    Cpa32U numSymOpVerifyFailures;
} CpaCySymStats CPA_DEPRECATED;

/* Symmetric statistics of an instance, 64-bit counters. */
typedef struct
{
    Cpa64U numSessionsInitialized;
    Cpa64U numSessionsRemoved;
    Cpa64U numSessionErrors;
    Cpa64U numSymOpRequests;
    Cpa64U numSymOpRequestErrors;
    Cpa64U numSymOpCompleted;
    Cpa64U numSymOpCompletedErrors;
    Cpa64U numSymOpVerifyFailures;
} CpaCySymStats64;

/* Completion callback of cpaCySymPerformOp, registered per session. */
typedef void (*CpaCySymCbFunc)(void *pCallbackTag,
                               CpaStatus status,
                               const CpaCySymOp operationType,
                               void *pOpData,
                               CpaBufferList *pDstBuffer,
                               CpaBoolean verifyResult);

/* Session memory size that fits every possible setup. */
CpaStatus cpaCySymSessionCtxGetSize(
    const CpaInstanceHandle instanceHandle,
    const CpaCySymSessionSetupData *pSessionSetupData,
    Cpa32U *pSessionCtxSizeInBytes);

/* Session memory size for this particular setup. */
CpaStatus cpaCySymSessionCtxGetDynamicSize(
    const CpaInstanceHandle instanceHandle,
    const CpaCySymSessionSetupData *pSessionSetupData,
    Cpa32U *pSessionCtxSizeInBytes);

/* Sets up a session in sessionCtx; pSymCb NULL makes its requests
   synchronous. */
CpaStatus cpaCySymInitSession(const CpaInstanceHandle instanceHandle,
                              const CpaCySymCbFunc pSymCb,
                              const CpaCySymSessionSetupData *pSessionSetupData,
                              CpaCySymSessionCtx sessionCtx);

/* Tears a session down; fails (retry later) while requests are in flight. */
CpaStatus cpaCySymRemoveSession(const CpaInstanceHandle instanceHandle,
                                CpaCySymSessionCtx pSessionCtx);

/* Changes keys or direction of an idle session. */
CpaStatus cpaCySymUpdateSession(
    CpaCySymSessionCtx sessionCtx,
    const CpaCySymSessionUpdateData *pSessionUpdateData);

/* Tells whether a session has requests in flight. */
CpaStatus cpaCySymSessionInUse(CpaCySymSessionCtx sessionCtx,
                               CpaBoolean *pSessionInUse);

/* Submits one request (in place when pDstBuffer == pSrcBuffer). */
CpaStatus cpaCySymPerformOp(const CpaInstanceHandle instanceHandle,
                            void *pCallbackTag,
                            const CpaCySymOpData *pOpData,
                            const CpaBufferList *pSrcBuffer,
                            CpaBufferList *pDstBuffer,
                            CpaBoolean *pVerifyResult);

/* 32-bit statistics (deprecated; use cpaCySymQueryStats64). */
CpaStatus CPA_DEPRECATED
cpaCySymQueryStats(const CpaInstanceHandle instanceHandle,
                   CpaCySymStats *pSymStats);

/* 64-bit symmetric statistics of an instance. */
CpaStatus cpaCySymQueryStats64(const CpaInstanceHandle instanceHandle,
                               CpaCySymStats64 *pSymStats);

/* Symmetric capabilities: bitmaps indexed by CpaCySymCipherAlgorithm and
   CpaCySymHashAlgorithm (test with CPA_BITMAP_BIT_TEST), and partial
   packet support. */
typedef struct
{
    CPA_BITMAP(ciphers, CPA_CY_SYM_CIPHER_CAP_BITMAP_SIZE);
    CPA_BITMAP(hashes, CPA_CY_SYM_HASH_CAP_BITMAP_SIZE);
    CpaBoolean partialPacketSupported;
} CpaCySymCapabilitiesInfo;

/* Fills pCapInfo with the symmetric capabilities of the instance. */
CpaStatus cpaCySymQueryCapabilities(const CpaInstanceHandle instanceHandle,
                                    CpaCySymCapabilitiesInfo *pCapInfo);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_SYM_H */

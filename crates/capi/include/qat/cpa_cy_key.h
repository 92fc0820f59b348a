/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: key and mask generation API (SSL 3.0 key derivation, TLS 1.0-1.2
   PRF, TLS 1.3 HKDF, MGF1). API facts from qatlib 26.08's public headers;
   written for softqat. */

#ifndef CPA_CY_KEY_H
#define CPA_CY_KEY_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"
#include "cpa_cy_sym.h" /* CpaCySymHashAlgorithm */

/* Length of an SSL/TLS client or server random. */
#define CPA_CY_KEY_GEN_SSL_TLS_RANDOM_LEN_IN_BYTES (32)

/* SSL 3.0 derivation: master secret, key material, or a caller label. */
typedef enum
{
    CPA_CY_KEY_SSL_OP_MASTER_SECRET_DERIVE = 1,
    CPA_CY_KEY_SSL_OP_KEY_MATERIAL_DERIVE,
    CPA_CY_KEY_SSL_OP_USER_DEFINED
} CpaCyKeySslOp;

/* Input of cpaCyKeyGenSsl. */
typedef struct
{
    CpaCyKeySslOp sslOp;
    CpaFlatBuffer secret;
    CpaFlatBuffer seed;
    CpaFlatBuffer info;
    Cpa32U generatedKeyLenInBytes;
    CpaFlatBuffer userLabel;
} CpaCyKeyGenSslOpData;

/* TLS PRF label: master secret, key expansion, client or server finished,
   or a caller label. */
typedef enum
{
    CPA_CY_KEY_TLS_OP_MASTER_SECRET_DERIVE = 1,
    CPA_CY_KEY_TLS_OP_KEY_MATERIAL_DERIVE,
    CPA_CY_KEY_TLS_OP_CLIENT_FINISHED_DERIVE,
    CPA_CY_KEY_TLS_OP_SERVER_FINISHED_DERIVE,
    CPA_CY_KEY_TLS_OP_USER_DEFINED
} CpaCyKeyTlsOp;

/* HKDF operation of cpaCyKeyGenTls3 (RFC 5869, RFC 8446 section 7.1). */
typedef enum
{
    CPA_CY_HKDF_KEY_EXTRACT = 12,
    CPA_CY_HKDF_KEY_EXPAND,
    CPA_CY_HKDF_KEY_EXTRACT_EXPAND,
    CPA_CY_HKDF_KEY_EXPAND_LABEL,
    CPA_CY_HKDF_KEY_EXTRACT_EXPAND_LABEL
} CpaCyKeyHKDFOp;

/* TLS 1.3 cipher suite; gives the hash and the key and IV sublabel sizes. */
typedef enum
{
    CPA_CY_HKDF_TLS_AES_128_GCM_SHA256 = 1,
    CPA_CY_HKDF_TLS_AES_256_GCM_SHA384,
    CPA_CY_HKDF_TLS_CHACHA20_POLY1305_SHA256,
    CPA_CY_HKDF_TLS_AES_128_CCM_SHA256,
    CPA_CY_HKDF_TLS_AES_128_CCM_8_SHA256
} CpaCyKeyHKDFCipherSuite;

/* Sublabel bits of CpaCyKeyGenHKDFExpandLabel.sublabelFlag. */
#define CPA_CY_HKDF_SUBLABEL_KEY ((Cpa16U)0x0001)
#define CPA_CY_HKDF_SUBLABEL_IV ((Cpa16U)0x0002)
#define CPA_CY_HKDF_SUBLABEL_RESUMPTION ((Cpa16U)0x0004)
#define CPA_CY_HKDF_SUBLABEL_FINISHED ((Cpa16U)0x0008)

/* Array sizes in CpaCyKeyGenHKDFOpData and CpaCyKeyGenHKDFExpandLabel. */
#define CPA_CY_HKDF_KEY_MAX_SECRET_SZ ((Cpa8U)80)
#define CPA_CY_HKDF_KEY_MAX_HMAC_SZ ((Cpa8U)48)
#define CPA_CY_HKDF_KEY_MAX_INFO_SZ ((Cpa8U)80)
#define CPA_CY_HKDF_KEY_MAX_LABEL_SZ ((Cpa8U)78)
#define CPA_CY_HKDF_KEY_MAX_LABEL_COUNT ((Cpa8U)4)

/* One HKDF-Expand-Label label with its length and wanted sublabels. */
typedef struct
{
    Cpa8U label[CPA_CY_HKDF_KEY_MAX_LABEL_SZ];
    Cpa8U labelLen;
    Cpa8U sublabelFlag;
} CpaCyKeyGenHKDFExpandLabel;

/* Input of cpaCyKeyGenTls3: operation, secret (IKM or PRK), salt, info and
   up to CPA_CY_HKDF_KEY_MAX_LABEL_COUNT labels, all inline. */
typedef struct
{
    CpaCyKeyHKDFOp hkdfKeyOp;
    Cpa8U secretLen;
    Cpa16U seedLen;
    Cpa16U infoLen;
    Cpa16U numLabels;
    Cpa8U secret[CPA_CY_HKDF_KEY_MAX_SECRET_SZ];
    Cpa8U seed[CPA_CY_HKDF_KEY_MAX_HMAC_SZ];
    Cpa8U info[CPA_CY_HKDF_KEY_MAX_INFO_SZ];
    CpaCyKeyGenHKDFExpandLabel label[CPA_CY_HKDF_KEY_MAX_LABEL_COUNT];
} CpaCyKeyGenHKDFOpData;

/* Input of cpaCyKeyGenTls and cpaCyKeyGenTls2. */
typedef struct
{
    CpaCyKeyTlsOp tlsOp;
    CpaFlatBuffer secret;
    CpaFlatBuffer seed;
    Cpa32U generatedKeyLenInBytes;
    CpaFlatBuffer userLabel;
} CpaCyKeyGenTlsOpData;

/* Input of cpaCyKeyGenMgf (MGF1 with SHA-1): seed and mask length. */
typedef struct
{
    CpaFlatBuffer seedBuffer;
    Cpa32U maskLenInBytes;
} CpaCyKeyGenMgfOpData;

/* Input of cpaCyKeyGenMgfExt: MGF1 with a chosen hash. */
typedef struct
{
    CpaCyKeyGenMgfOpData baseOpData;
    CpaCySymHashAlgorithm hashAlgorithm;
} CpaCyKeyGenMgfOpDataExt;

/* 32-bit key generation statistics (deprecated; use CpaCyKeyGenStats64). */
typedef struct
{
    Cpa32U numSslKeyGenRequests;
    Cpa32U numSslKeyGenRequestErrors;
    Cpa32U numSslKeyGenCompleted;
    Cpa32U numSslKeyGenCompletedErrors;
    Cpa32U numTlsKeyGenRequests;
    Cpa32U numTlsKeyGenRequestErrors;
    Cpa32U numTlsKeyGenCompleted;
    Cpa32U numTlsKeyGenCompletedErrors;
    Cpa32U numMgfKeyGenRequests;
    Cpa32U numMgfKeyGenRequestErrors;
    Cpa32U numMgfKeyGenCompleted;
    Cpa32U numMgfKeyGenCompletedErrors;
} CpaCyKeyGenStats CPA_DEPRECATED;

/* Key generation statistics of an instance, 64-bit counters. */
typedef struct
{
    Cpa64U numSslKeyGenRequests;
    Cpa64U numSslKeyGenRequestErrors;
    Cpa64U numSslKeyGenCompleted;
    Cpa64U numSslKeyGenCompletedErrors;
    Cpa64U numTlsKeyGenRequests;
    Cpa64U numTlsKeyGenRequestErrors;
    Cpa64U numTlsKeyGenCompleted;
    Cpa64U numTlsKeyGenCompletedErrors;
    Cpa64U numMgfKeyGenRequests;
    Cpa64U numMgfKeyGenRequestErrors;
    Cpa64U numMgfKeyGenCompleted;
    Cpa64U numMgfKeyGenCompletedErrors;
} CpaCyKeyGenStats64;

/* SSL 3.0 key derivation into pGeneratedKeyBuffer (synchronous when
   pKeyGenCb is NULL). */
CpaStatus cpaCyKeyGenSsl(const CpaInstanceHandle instanceHandle,
                         const CpaCyGenFlatBufCbFunc pKeyGenCb,
                         void *pCallbackTag,
                         const CpaCyKeyGenSslOpData *pKeyGenSslOpData,
                         CpaFlatBuffer *pGeneratedKeyBuffer);

/* TLS 1.0/1.1 PRF (MD5 and SHA-1). */
CpaStatus cpaCyKeyGenTls(const CpaInstanceHandle instanceHandle,
                         const CpaCyGenFlatBufCbFunc pKeyGenCb,
                         void *pCallbackTag,
                         const CpaCyKeyGenTlsOpData *pKeyGenTlsOpData,
                         CpaFlatBuffer *pGeneratedKeyBuffer);

/* TLS 1.2 PRF with the given hash. */
CpaStatus cpaCyKeyGenTls2(const CpaInstanceHandle instanceHandle,
                          const CpaCyGenFlatBufCbFunc pKeyGenCb,
                          void *pCallbackTag,
                          const CpaCyKeyGenTlsOpData *pKeyGenTlsOpData,
                          CpaCySymHashAlgorithm hashAlgorithm,
                          CpaFlatBuffer *pGeneratedKeyBuffer);

/* TLS 1.3 HKDF operations for the given cipher suite. */
CpaStatus cpaCyKeyGenTls3(const CpaInstanceHandle instanceHandle,
                          const CpaCyGenFlatBufCbFunc pKeyGenCb,
                          void *pCallbackTag,
                          const CpaCyKeyGenHKDFOpData *pKeyGenTlsOpData,
                          CpaCyKeyHKDFCipherSuite cipherSuite,
                          CpaFlatBuffer *pGeneratedKeyBuffer);

/* MGF1 mask generation with SHA-1. */
CpaStatus cpaCyKeyGenMgf(const CpaInstanceHandle instanceHandle,
                         const CpaCyGenFlatBufCbFunc pKeyGenCb,
                         void *pCallbackTag,
                         const CpaCyKeyGenMgfOpData *pKeyGenMgfOpData,
                         CpaFlatBuffer *pGeneratedMaskBuffer);

/* MGF1 mask generation with the hash named in the op data. */
CpaStatus cpaCyKeyGenMgfExt(const CpaInstanceHandle instanceHandle,
                            const CpaCyGenFlatBufCbFunc pKeyGenCb,
                            void *pCallbackTag,
                            const CpaCyKeyGenMgfOpDataExt *pKeyGenMgfOpDataExt,
                            CpaFlatBuffer *pGeneratedMaskBuffer);

/* 32-bit statistics (deprecated; use cpaCyKeyGenQueryStats64). */
CpaStatus CPA_DEPRECATED
cpaCyKeyGenQueryStats(const CpaInstanceHandle instanceHandle,
                      CpaCyKeyGenStats *pKeyGenStats);

/* 64-bit key generation statistics of an instance. */
CpaStatus cpaCyKeyGenQueryStats64(const CpaInstanceHandle instanceHandle,
                                  CpaCyKeyGenStats64 *pKeyGenStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_KEY_H */

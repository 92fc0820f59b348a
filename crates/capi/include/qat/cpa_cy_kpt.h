/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: Key Protection Technology (KPT) API: wrapped-key loading and
   RSA decrypt / ECDSA sign with wrapped private keys. softqat has no KPT:
   its functions return CPA_STATUS_UNSUPPORTED. API facts from qatlib
   26.08's public headers; written for softqat. */

#ifndef __CPA_CY_KPT_H__
#define __CPA_CY_KPT_H__

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"
#include "cpa_cy_rsa.h"
#include "cpa_cy_ecdsa.h"
#include "cpa_cy_ec.h"

/* Handle of a loaded symmetric wrapping key (SWK). */
typedef Cpa64U CpaCyKptHandle;

/* Outcome of the KPT key management calls. */
typedef enum
{
    CPA_CY_KPT_SUCCESS = 0,
    CPA_CY_KPT_LOADKEY_FAIL_QUOTA_EXCEEDED_PER_VFID,
    CPA_CY_KPT_LOADKEY_FAIL_QUOTA_EXCEEDED_PER_PASID,
    CPA_CY_KPT_LOADKEY_FAIL_QUOTA_EXCEEDED,
    CPA_CY_KPT_SWK_FAIL_NOT_FOUND,
    CPA_CY_KPT_FAILED,
} CpaCyKptKeyManagementStatus;

/* Length of an RSA-3072 signature. */
#define CPA_CY_RSA3K_SIG_SIZE_INBYTES 384

/* Device credential: RSA public key and its signature. */
typedef struct
{
    CpaCyRsaPublicKey publicKey;
    Cpa8U signature[CPA_CY_RSA3K_SIG_SIZE_INBYTES];
} CpaCyKptValidationKey;

/* Algorithm of a wrapping key. */
typedef enum
{
    CPA_CY_KPT_WRAPPING_KEY_TYPE_AES256_GCM = 0
} CpaCyKptWrappingKeyType;

/* Encrypted SWK to load, and its algorithm. */
typedef struct
{
    CpaFlatBuffer eSWK;
    CpaCyKptWrappingKeyType wrappingAlgorithm;
} CpaCyKptLoadKey;

/* IV and AAD array sizes of CpaCyKptUnwrapContext. */
#define CPA_CY_KPT_MAX_IV_LENGTH (12)
#define CPA_CY_KPT_MAX_AAD_LENGTH (16)

/* How to unwrap a wrapped private key: SWK handle, IV and AAD. */
typedef struct
{
    CpaCyKptHandle kptHandle;
    Cpa8U iv[CPA_CY_KPT_MAX_IV_LENGTH];
    Cpa8U additionalAuthData[CPA_CY_KPT_MAX_AAD_LENGTH];
    Cpa32U aadLenInBytes;
} CpaCyKptUnwrapContext;

/* Wrapped RSA private key, representation 1 (n, d). */
typedef struct
{
    CpaFlatBuffer privateKey;
} CpaCyKptRsaPrivateKeyRep1;

/* Wrapped RSA private key, representation 2 (CRT form). */
typedef struct
{
    CpaFlatBuffer privateKey;
} CpaCyKptRsaPrivateKeyRep2;

/* Wrapped RSA private key with both representations. */
typedef struct
{
    CpaCyRsaVersion version;
    CpaCyRsaPrivateKeyRepType privateKeyRepType;
    CpaCyKptRsaPrivateKeyRep1 privateKeyRep1;
    CpaCyKptRsaPrivateKeyRep2 privateKeyRep2;
} CpaCyKptRsaPrivateKey;

/* Input of cpaCyKptRsaDecrypt. */
typedef struct
{
    CpaCyKptRsaPrivateKey *pRecipientPrivateKey;
    CpaFlatBuffer inputData;
} CpaCyKptRsaDecryptOpData;

/* Input of cpaCyKptEcdsaSignRS: wrapped key and message digest. */
typedef struct
{
    CpaFlatBuffer privateKey;
    CpaFlatBuffer m;
} CpaCyKptEcdsaSignRSOpData;

/* Issuing certificate (PEM) of the device's KPT keys. */
CpaStatus cpaCyKptQueryIssuingKeys(const CpaInstanceHandle instanceHandle,
                                   CpaFlatBuffer *pPublicX509IssueCert,
                                   CpaCyKptKeyManagementStatus *pKptStatus);

/* Per-part device public key and signature. */
CpaStatus cpaCyKptQueryDeviceCredentials(
    const CpaInstanceHandle instanceHandle,
    CpaCyKptValidationKey *pDevCredential,
    CpaCyKptKeyManagementStatus *pKptStatus);

/* Loads an encrypted SWK and returns its handle. */
CpaStatus cpaCyKptLoadKey(CpaInstanceHandle instanceHandle,
                          CpaCyKptLoadKey *pSWK,
                          CpaCyKptHandle *keyHandle,
                          CpaCyKptKeyManagementStatus *pKptStatus);

/* Deletes a loaded SWK. */
CpaStatus cpaCyKptDeleteKey(CpaInstanceHandle instanceHandle,
                            CpaCyKptHandle keyHandle,
                            CpaCyKptKeyManagementStatus *pKptStatus);

/* RSA decryption with a wrapped private key. */
CpaStatus cpaCyKptRsaDecrypt(const CpaInstanceHandle instanceHandle,
                             const CpaCyGenFlatBufCbFunc pRsaDecryptCb,
                             void *pCallbackTag,
                             const CpaCyKptRsaDecryptOpData *pDecryptOpData,
                             CpaFlatBuffer *pOutputData,
                             CpaCyKptUnwrapContext *pKptUnwrapContext);

/* ECDSA signature (r, s) with a wrapped private key. */
CpaStatus cpaCyKptEcdsaSignRS(const CpaInstanceHandle instanceHandle,
                              const CpaCyEcdsaSignRSCbFunc pCb,
                              void *pCallbackTag,
                              const CpaCyKptEcdsaSignRSOpData *pOpData,
                              CpaBoolean *pSignStatus,
                              CpaFlatBuffer *pR,
                              CpaFlatBuffer *pS,
                              CpaCyKptUnwrapContext *pKptUnwrapContext);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __CPA_CY_KPT_H__ */

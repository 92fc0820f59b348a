/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: layout and value check of the "sym" header family
   (cpa_cy_common.h, cpa_cy_im.h, cpa_cy_sym.h, cpa_cy_sym_dp.h,
   cpa_cy_key.h, cpa_cy_drbg.h, cpa_cy_nrbg.h, cpa_cy_kpt.h).

   Prints, in the order the headers declare them, the size of every struct
   typedef, the offset of every field (members of nested structs as
   Type.a.b) and the value of every enum constant and integer #define.
   Built against qatlib 26.08's headers its output is
   tests/data/layout/sym.txt; built against softqat's include/qat it must
   print the same lines.

   cc -std=c99 -Wall -Werror -I<dir with cpa.h> layout_sym.c */

#include <stddef.h>
#include <stdio.h>

#include "cpa.h"
#include "cpa_cy_common.h"
#include "cpa_cy_im.h"
#include "cpa_cy_sym.h"
#include "cpa_cy_sym_dp.h"
#include "cpa_cy_key.h"
#include "cpa_cy_drbg.h"
#include "cpa_cy_nrbg.h"
#include "cpa_cy_kpt.h"

/* Programs test the include guards, so their names are part of the API. */
#if !defined(CPA_CY_COMMON_H) || !defined(CPA_CY_IM_H_) ||                     \
    !defined(CPA_CY_SYM_H) || !defined(CPA_CY_SYM_DP_H) ||                     \
    !defined(CPA_CY_KEY_H) || !defined(CPA_CY_DRBG_H) ||                       \
    !defined(CPA_CY_NRBG_H) || !defined(__CPA_CY_KPT_H__)
#error "an include guard of the sym family has an unexpected name"
#endif

#define SIZE(T) printf("sizeof %s %zu\n", #T, sizeof(T))
#define OFF(T, F) printf("offsetof %s.%s %zu\n", #T, #F, offsetof(T, F))
#define VAL(N) printf("value %s %lld\n", #N, (long long)(N))

int main(void)
{
    /* cpa_cy_common.h */
    VAL(CPA_CY_API_VERSION_NUM_MAJOR);
    VAL(CPA_CY_API_VERSION_NUM_MINOR);
    VAL(CPA_CY_PRIORITY_NORMAL);
    VAL(CPA_CY_PRIORITY_HIGH);
    /* cpa_cy_im.h */
    SIZE(CpaCyCapabilitiesInfo);
    OFF(CpaCyCapabilitiesInfo, symSupported);
    OFF(CpaCyCapabilitiesInfo, symDpSupported);
    OFF(CpaCyCapabilitiesInfo, dhSupported);
    OFF(CpaCyCapabilitiesInfo, dsaSupported);
    OFF(CpaCyCapabilitiesInfo, rsaSupported);
    OFF(CpaCyCapabilitiesInfo, ecSupported);
    OFF(CpaCyCapabilitiesInfo, ecdhSupported);
    OFF(CpaCyCapabilitiesInfo, ecdsaSupported);
    OFF(CpaCyCapabilitiesInfo, keySupported);
    OFF(CpaCyCapabilitiesInfo, lnSupported);
    OFF(CpaCyCapabilitiesInfo, primeSupported);
    OFF(CpaCyCapabilitiesInfo, drbgSupported);
    OFF(CpaCyCapabilitiesInfo, nrbgSupported);
    OFF(CpaCyCapabilitiesInfo, randSupported);
    OFF(CpaCyCapabilitiesInfo, kptSupported);
    OFF(CpaCyCapabilitiesInfo, hkdfSupported);
    OFF(CpaCyCapabilitiesInfo, extAlgchainSupported);
    OFF(CpaCyCapabilitiesInfo, ecEdMontSupported);
    OFF(CpaCyCapabilitiesInfo, ecSm2Supported);
    /* cpa_cy_sym.h */
    VAL(CPA_CY_SYM_PACKET_TYPE_FULL);
    VAL(CPA_CY_SYM_PACKET_TYPE_PARTIAL);
    VAL(CPA_CY_SYM_PACKET_TYPE_LAST_PARTIAL);
    VAL(CPA_CY_SYM_OP_NONE);
    VAL(CPA_CY_SYM_OP_CIPHER);
    VAL(CPA_CY_SYM_OP_HASH);
    VAL(CPA_CY_SYM_OP_ALGORITHM_CHAINING);
    VAL(CPA_CY_SYM_CIPHER_NULL);
    VAL(CPA_CY_SYM_CIPHER_ARC4);
    VAL(CPA_CY_SYM_CIPHER_AES_ECB);
    VAL(CPA_CY_SYM_CIPHER_AES_CBC);
    VAL(CPA_CY_SYM_CIPHER_AES_CTR);
    VAL(CPA_CY_SYM_CIPHER_AES_CCM);
    VAL(CPA_CY_SYM_CIPHER_AES_GCM);
    VAL(CPA_CY_SYM_CIPHER_DES_ECB);
    VAL(CPA_CY_SYM_CIPHER_DES_CBC);
    VAL(CPA_CY_SYM_CIPHER_3DES_ECB);
    VAL(CPA_CY_SYM_CIPHER_3DES_CBC);
    VAL(CPA_CY_SYM_CIPHER_3DES_CTR);
    VAL(CPA_CY_SYM_CIPHER_KASUMI_F8);
    VAL(CPA_CY_SYM_CIPHER_SNOW3G_UEA2);
    VAL(CPA_CY_SYM_CIPHER_AES_F8);
    VAL(CPA_CY_SYM_CIPHER_AES_XTS);
    VAL(CPA_CY_SYM_CIPHER_ZUC_EEA3);
    VAL(CPA_CY_SYM_CIPHER_CHACHA);
    VAL(CPA_CY_SYM_CIPHER_SM4_ECB);
    VAL(CPA_CY_SYM_CIPHER_SM4_CBC);
    VAL(CPA_CY_SYM_CIPHER_SM4_CTR);
    VAL(CPA_CY_SYM_CIPHER_CAP_BITMAP_SIZE);
    VAL(CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT);
    VAL(CPA_CY_SYM_CIPHER_DIRECTION_DECRYPT);
    SIZE(CpaCySymDeriveOpData);
    OFF(CpaCySymDeriveOpData, pContext);
    OFF(CpaCySymDeriveOpData, contextLen);
    SIZE(CpaCySymCipherSetupData);
    OFF(CpaCySymCipherSetupData, cipherAlgorithm);
    OFF(CpaCySymCipherSetupData, cipherKeyLenInBytes);
    OFF(CpaCySymCipherSetupData, pCipherKey);
    OFF(CpaCySymCipherSetupData, cipherDirection);
    VAL(CPA_CY_SYM_HASH_MODE_PLAIN);
    VAL(CPA_CY_SYM_HASH_MODE_AUTH);
    VAL(CPA_CY_SYM_HASH_MODE_NESTED);
    VAL(CPA_CY_SYM_HASH_NONE);
    VAL(CPA_CY_SYM_HASH_MD5);
    VAL(CPA_CY_SYM_HASH_SHA1);
    VAL(CPA_CY_SYM_HASH_SHA224);
    VAL(CPA_CY_SYM_HASH_SHA256);
    VAL(CPA_CY_SYM_HASH_SHA384);
    VAL(CPA_CY_SYM_HASH_SHA512);
    VAL(CPA_CY_SYM_HASH_AES_XCBC);
    VAL(CPA_CY_SYM_HASH_AES_CCM);
    VAL(CPA_CY_SYM_HASH_AES_GCM);
    VAL(CPA_CY_SYM_HASH_KASUMI_F9);
    VAL(CPA_CY_SYM_HASH_SNOW3G_UIA2);
    VAL(CPA_CY_SYM_HASH_AES_CMAC);
    VAL(CPA_CY_SYM_HASH_AES_GMAC);
    VAL(CPA_CY_SYM_HASH_AES_CBC_MAC);
    VAL(CPA_CY_SYM_HASH_ZUC_EIA3);
    VAL(CPA_CY_SYM_HASH_SHA3_256);
    VAL(CPA_CY_SYM_HASH_SHA3_224);
    VAL(CPA_CY_SYM_HASH_SHA3_384);
    VAL(CPA_CY_SYM_HASH_SHA3_512);
    VAL(CPA_CY_SYM_HASH_SHAKE_128);
    VAL(CPA_CY_SYM_HASH_SHAKE_256);
    VAL(CPA_CY_SYM_HASH_POLY);
    VAL(CPA_CY_SYM_HASH_SM3);
    VAL(CPA_CY_SYM_HASH_CAP_BITMAP_SIZE);
    SIZE(CpaCySymHashNestedModeSetupData);
    OFF(CpaCySymHashNestedModeSetupData, pInnerPrefixData);
    OFF(CpaCySymHashNestedModeSetupData, innerPrefixLenInBytes);
    OFF(CpaCySymHashNestedModeSetupData, outerHashAlgorithm);
    OFF(CpaCySymHashNestedModeSetupData, pOuterPrefixData);
    OFF(CpaCySymHashNestedModeSetupData, outerPrefixLenInBytes);
    SIZE(CpaCySymHashAuthModeSetupData);
    OFF(CpaCySymHashAuthModeSetupData, authKey);
    OFF(CpaCySymHashAuthModeSetupData, authKeyLenInBytes);
    OFF(CpaCySymHashAuthModeSetupData, aadLenInBytes);
    SIZE(CpaCySymHashSetupData);
    OFF(CpaCySymHashSetupData, hashAlgorithm);
    OFF(CpaCySymHashSetupData, hashMode);
    OFF(CpaCySymHashSetupData, digestResultLenInBytes);
    OFF(CpaCySymHashSetupData, authModeSetupData);
    OFF(CpaCySymHashSetupData, authModeSetupData.authKey);
    OFF(CpaCySymHashSetupData, authModeSetupData.authKeyLenInBytes);
    OFF(CpaCySymHashSetupData, authModeSetupData.aadLenInBytes);
    OFF(CpaCySymHashSetupData, nestedModeSetupData);
    OFF(CpaCySymHashSetupData, nestedModeSetupData.pInnerPrefixData);
    OFF(CpaCySymHashSetupData, nestedModeSetupData.innerPrefixLenInBytes);
    OFF(CpaCySymHashSetupData, nestedModeSetupData.outerHashAlgorithm);
    OFF(CpaCySymHashSetupData, nestedModeSetupData.pOuterPrefixData);
    OFF(CpaCySymHashSetupData, nestedModeSetupData.outerPrefixLenInBytes);
    VAL(CPA_CY_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER);
    VAL(CPA_CY_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH);
    SIZE(CpaCySymSessionSetupData);
    OFF(CpaCySymSessionSetupData, sessionPriority);
    OFF(CpaCySymSessionSetupData, symOperation);
    OFF(CpaCySymSessionSetupData, cipherSetupData);
    OFF(CpaCySymSessionSetupData, cipherSetupData.cipherAlgorithm);
    OFF(CpaCySymSessionSetupData, cipherSetupData.cipherKeyLenInBytes);
    OFF(CpaCySymSessionSetupData, cipherSetupData.pCipherKey);
    OFF(CpaCySymSessionSetupData, cipherSetupData.cipherDirection);
    OFF(CpaCySymSessionSetupData, hashSetupData);
    OFF(CpaCySymSessionSetupData, hashSetupData.hashAlgorithm);
    OFF(CpaCySymSessionSetupData, hashSetupData.hashMode);
    OFF(CpaCySymSessionSetupData, hashSetupData.digestResultLenInBytes);
    OFF(CpaCySymSessionSetupData, hashSetupData.authModeSetupData);
    OFF(CpaCySymSessionSetupData, hashSetupData.authModeSetupData.authKey);
    OFF(CpaCySymSessionSetupData, hashSetupData.authModeSetupData.authKeyLenInBytes);
    OFF(CpaCySymSessionSetupData, hashSetupData.authModeSetupData.aadLenInBytes);
    OFF(CpaCySymSessionSetupData, hashSetupData.nestedModeSetupData);
    OFF(CpaCySymSessionSetupData, hashSetupData.nestedModeSetupData.pInnerPrefixData);
    OFF(CpaCySymSessionSetupData, hashSetupData.nestedModeSetupData.innerPrefixLenInBytes);
    OFF(CpaCySymSessionSetupData, hashSetupData.nestedModeSetupData.outerHashAlgorithm);
    OFF(CpaCySymSessionSetupData, hashSetupData.nestedModeSetupData.pOuterPrefixData);
    OFF(CpaCySymSessionSetupData, hashSetupData.nestedModeSetupData.outerPrefixLenInBytes);
    OFF(CpaCySymSessionSetupData, algChainOrder);
    OFF(CpaCySymSessionSetupData, digestIsAppended);
    OFF(CpaCySymSessionSetupData, verifyDigest);
    OFF(CpaCySymSessionSetupData, partialsNotRequired);
    SIZE(CpaCySymSessionUpdateData);
    OFF(CpaCySymSessionUpdateData, flags);
    OFF(CpaCySymSessionUpdateData, pCipherKey);
    OFF(CpaCySymSessionUpdateData, cipherDirection);
    OFF(CpaCySymSessionUpdateData, authKey);
    VAL(CPA_CY_SYM_SESUPD_CIPHER_KEY);
    VAL(CPA_CY_SYM_SESUPD_CIPHER_DIR);
    VAL(CPA_CY_SYM_SESUPD_AUTH_KEY);
    SIZE(CpaCySymOpData);
    OFF(CpaCySymOpData, sessionCtx);
    OFF(CpaCySymOpData, packetType);
    OFF(CpaCySymOpData, pIv);
    OFF(CpaCySymOpData, ivLenInBytes);
    OFF(CpaCySymOpData, cryptoStartSrcOffsetInBytes);
    OFF(CpaCySymOpData, messageLenToCipherInBytes);
    OFF(CpaCySymOpData, hashStartSrcOffsetInBytes);
    OFF(CpaCySymOpData, messageLenToHashInBytes);
    OFF(CpaCySymOpData, pDigestResult);
    OFF(CpaCySymOpData, pAdditionalAuthData);
    SIZE(CpaCySymOpData2);
    OFF(CpaCySymOpData2, symOpData);
    OFF(CpaCySymOpData2, symOpData.sessionCtx);
    OFF(CpaCySymOpData2, symOpData.packetType);
    OFF(CpaCySymOpData2, symOpData.pIv);
    OFF(CpaCySymOpData2, symOpData.ivLenInBytes);
    OFF(CpaCySymOpData2, symOpData.cryptoStartSrcOffsetInBytes);
    OFF(CpaCySymOpData2, symOpData.messageLenToCipherInBytes);
    OFF(CpaCySymOpData2, symOpData.hashStartSrcOffsetInBytes);
    OFF(CpaCySymOpData2, symOpData.messageLenToHashInBytes);
    OFF(CpaCySymOpData2, symOpData.pDigestResult);
    OFF(CpaCySymOpData2, symOpData.pAdditionalAuthData);
    OFF(CpaCySymOpData2, deriveCtxData);
    OFF(CpaCySymOpData2, deriveCtxData.pContext);
    OFF(CpaCySymOpData2, deriveCtxData.contextLen);
    SIZE(CpaCySymStats);
    OFF(CpaCySymStats, numSessionsInitialized);
    OFF(CpaCySymStats, numSessionsRemoved);
    OFF(CpaCySymStats, numSessionErrors);
    OFF(CpaCySymStats, numSymOpRequests);
    OFF(CpaCySymStats, numSymOpRequestErrors);
    OFF(CpaCySymStats, numSymOpCompleted);
    OFF(CpaCySymStats, numSymOpCompletedErrors);
    OFF(CpaCySymStats, numSymOpVerifyFailures);
    SIZE(CpaCySymStats64);
    OFF(CpaCySymStats64, numSessionsInitialized);
    OFF(CpaCySymStats64, numSessionsRemoved);
    OFF(CpaCySymStats64, numSessionErrors);
    OFF(CpaCySymStats64, numSymOpRequests);
    OFF(CpaCySymStats64, numSymOpRequestErrors);
    OFF(CpaCySymStats64, numSymOpCompleted);
    OFF(CpaCySymStats64, numSymOpCompletedErrors);
    OFF(CpaCySymStats64, numSymOpVerifyFailures);
    SIZE(CpaCySymCapabilitiesInfo);
    OFF(CpaCySymCapabilitiesInfo, ciphers);
    OFF(CpaCySymCapabilitiesInfo, hashes);
    OFF(CpaCySymCapabilitiesInfo, partialPacketSupported);
    /* cpa_cy_sym_dp.h */
    SIZE(CpaCySymDpOpData);
    OFF(CpaCySymDpOpData, reserved0);
    OFF(CpaCySymDpOpData, cryptoStartSrcOffsetInBytes);
    OFF(CpaCySymDpOpData, messageLenToCipherInBytes);
    OFF(CpaCySymDpOpData, iv);
    OFF(CpaCySymDpOpData, reserved1);
    OFF(CpaCySymDpOpData, hashStartSrcOffsetInBytes);
    OFF(CpaCySymDpOpData, messageLenToHashInBytes);
    OFF(CpaCySymDpOpData, additionalAuthData);
    OFF(CpaCySymDpOpData, digestResult);
    OFF(CpaCySymDpOpData, instanceHandle);
    OFF(CpaCySymDpOpData, sessionCtx);
    OFF(CpaCySymDpOpData, ivLenInBytes);
    OFF(CpaCySymDpOpData, srcBuffer);
    OFF(CpaCySymDpOpData, srcBufferLen);
    OFF(CpaCySymDpOpData, dstBuffer);
    OFF(CpaCySymDpOpData, dstBufferLen);
    OFF(CpaCySymDpOpData, thisPhys);
    OFF(CpaCySymDpOpData, pIv);
    OFF(CpaCySymDpOpData, pAdditionalAuthData);
    OFF(CpaCySymDpOpData, pCallbackTag);
    /* cpa_cy_key.h */
    VAL(CPA_CY_KEY_GEN_SSL_TLS_RANDOM_LEN_IN_BYTES);
    VAL(CPA_CY_KEY_SSL_OP_MASTER_SECRET_DERIVE);
    VAL(CPA_CY_KEY_SSL_OP_KEY_MATERIAL_DERIVE);
    VAL(CPA_CY_KEY_SSL_OP_USER_DEFINED);
    SIZE(CpaCyKeyGenSslOpData);
    OFF(CpaCyKeyGenSslOpData, sslOp);
    OFF(CpaCyKeyGenSslOpData, secret);
    OFF(CpaCyKeyGenSslOpData, secret.dataLenInBytes);
    OFF(CpaCyKeyGenSslOpData, secret.pData);
    OFF(CpaCyKeyGenSslOpData, seed);
    OFF(CpaCyKeyGenSslOpData, seed.dataLenInBytes);
    OFF(CpaCyKeyGenSslOpData, seed.pData);
    OFF(CpaCyKeyGenSslOpData, info);
    OFF(CpaCyKeyGenSslOpData, info.dataLenInBytes);
    OFF(CpaCyKeyGenSslOpData, info.pData);
    OFF(CpaCyKeyGenSslOpData, generatedKeyLenInBytes);
    OFF(CpaCyKeyGenSslOpData, userLabel);
    OFF(CpaCyKeyGenSslOpData, userLabel.dataLenInBytes);
    OFF(CpaCyKeyGenSslOpData, userLabel.pData);
    VAL(CPA_CY_KEY_TLS_OP_MASTER_SECRET_DERIVE);
    VAL(CPA_CY_KEY_TLS_OP_KEY_MATERIAL_DERIVE);
    VAL(CPA_CY_KEY_TLS_OP_CLIENT_FINISHED_DERIVE);
    VAL(CPA_CY_KEY_TLS_OP_SERVER_FINISHED_DERIVE);
    VAL(CPA_CY_KEY_TLS_OP_USER_DEFINED);
    VAL(CPA_CY_HKDF_KEY_EXTRACT);
    VAL(CPA_CY_HKDF_KEY_EXPAND);
    VAL(CPA_CY_HKDF_KEY_EXTRACT_EXPAND);
    VAL(CPA_CY_HKDF_KEY_EXPAND_LABEL);
    VAL(CPA_CY_HKDF_KEY_EXTRACT_EXPAND_LABEL);
    VAL(CPA_CY_HKDF_TLS_AES_128_GCM_SHA256);
    VAL(CPA_CY_HKDF_TLS_AES_256_GCM_SHA384);
    VAL(CPA_CY_HKDF_TLS_CHACHA20_POLY1305_SHA256);
    VAL(CPA_CY_HKDF_TLS_AES_128_CCM_SHA256);
    VAL(CPA_CY_HKDF_TLS_AES_128_CCM_8_SHA256);
    VAL(CPA_CY_HKDF_SUBLABEL_KEY);
    VAL(CPA_CY_HKDF_SUBLABEL_IV);
    VAL(CPA_CY_HKDF_SUBLABEL_RESUMPTION);
    VAL(CPA_CY_HKDF_SUBLABEL_FINISHED);
    VAL(CPA_CY_HKDF_KEY_MAX_SECRET_SZ);
    VAL(CPA_CY_HKDF_KEY_MAX_HMAC_SZ);
    VAL(CPA_CY_HKDF_KEY_MAX_INFO_SZ);
    VAL(CPA_CY_HKDF_KEY_MAX_LABEL_SZ);
    VAL(CPA_CY_HKDF_KEY_MAX_LABEL_COUNT);
    SIZE(CpaCyKeyGenHKDFExpandLabel);
    OFF(CpaCyKeyGenHKDFExpandLabel, label);
    OFF(CpaCyKeyGenHKDFExpandLabel, labelLen);
    OFF(CpaCyKeyGenHKDFExpandLabel, sublabelFlag);
    SIZE(CpaCyKeyGenHKDFOpData);
    OFF(CpaCyKeyGenHKDFOpData, hkdfKeyOp);
    OFF(CpaCyKeyGenHKDFOpData, secretLen);
    OFF(CpaCyKeyGenHKDFOpData, seedLen);
    OFF(CpaCyKeyGenHKDFOpData, infoLen);
    OFF(CpaCyKeyGenHKDFOpData, numLabels);
    OFF(CpaCyKeyGenHKDFOpData, secret);
    OFF(CpaCyKeyGenHKDFOpData, seed);
    OFF(CpaCyKeyGenHKDFOpData, info);
    OFF(CpaCyKeyGenHKDFOpData, label);
    SIZE(CpaCyKeyGenTlsOpData);
    OFF(CpaCyKeyGenTlsOpData, tlsOp);
    OFF(CpaCyKeyGenTlsOpData, secret);
    OFF(CpaCyKeyGenTlsOpData, secret.dataLenInBytes);
    OFF(CpaCyKeyGenTlsOpData, secret.pData);
    OFF(CpaCyKeyGenTlsOpData, seed);
    OFF(CpaCyKeyGenTlsOpData, seed.dataLenInBytes);
    OFF(CpaCyKeyGenTlsOpData, seed.pData);
    OFF(CpaCyKeyGenTlsOpData, generatedKeyLenInBytes);
    OFF(CpaCyKeyGenTlsOpData, userLabel);
    OFF(CpaCyKeyGenTlsOpData, userLabel.dataLenInBytes);
    OFF(CpaCyKeyGenTlsOpData, userLabel.pData);
    SIZE(CpaCyKeyGenMgfOpData);
    OFF(CpaCyKeyGenMgfOpData, seedBuffer);
    OFF(CpaCyKeyGenMgfOpData, seedBuffer.dataLenInBytes);
    OFF(CpaCyKeyGenMgfOpData, seedBuffer.pData);
    OFF(CpaCyKeyGenMgfOpData, maskLenInBytes);
    SIZE(CpaCyKeyGenMgfOpDataExt);
    OFF(CpaCyKeyGenMgfOpDataExt, baseOpData);
    OFF(CpaCyKeyGenMgfOpDataExt, baseOpData.seedBuffer);
    OFF(CpaCyKeyGenMgfOpDataExt, baseOpData.seedBuffer.dataLenInBytes);
    OFF(CpaCyKeyGenMgfOpDataExt, baseOpData.seedBuffer.pData);
    OFF(CpaCyKeyGenMgfOpDataExt, baseOpData.maskLenInBytes);
    OFF(CpaCyKeyGenMgfOpDataExt, hashAlgorithm);
    SIZE(CpaCyKeyGenStats);
    OFF(CpaCyKeyGenStats, numSslKeyGenRequests);
    OFF(CpaCyKeyGenStats, numSslKeyGenRequestErrors);
    OFF(CpaCyKeyGenStats, numSslKeyGenCompleted);
    OFF(CpaCyKeyGenStats, numSslKeyGenCompletedErrors);
    OFF(CpaCyKeyGenStats, numTlsKeyGenRequests);
    OFF(CpaCyKeyGenStats, numTlsKeyGenRequestErrors);
    OFF(CpaCyKeyGenStats, numTlsKeyGenCompleted);
    OFF(CpaCyKeyGenStats, numTlsKeyGenCompletedErrors);
    OFF(CpaCyKeyGenStats, numMgfKeyGenRequests);
    OFF(CpaCyKeyGenStats, numMgfKeyGenRequestErrors);
    OFF(CpaCyKeyGenStats, numMgfKeyGenCompleted);
    OFF(CpaCyKeyGenStats, numMgfKeyGenCompletedErrors);
    SIZE(CpaCyKeyGenStats64);
    OFF(CpaCyKeyGenStats64, numSslKeyGenRequests);
    OFF(CpaCyKeyGenStats64, numSslKeyGenRequestErrors);
    OFF(CpaCyKeyGenStats64, numSslKeyGenCompleted);
    OFF(CpaCyKeyGenStats64, numSslKeyGenCompletedErrors);
    OFF(CpaCyKeyGenStats64, numTlsKeyGenRequests);
    OFF(CpaCyKeyGenStats64, numTlsKeyGenRequestErrors);
    OFF(CpaCyKeyGenStats64, numTlsKeyGenCompleted);
    OFF(CpaCyKeyGenStats64, numTlsKeyGenCompletedErrors);
    OFF(CpaCyKeyGenStats64, numMgfKeyGenRequests);
    OFF(CpaCyKeyGenStats64, numMgfKeyGenRequestErrors);
    OFF(CpaCyKeyGenStats64, numMgfKeyGenCompleted);
    OFF(CpaCyKeyGenStats64, numMgfKeyGenCompletedErrors);
    /* cpa_cy_drbg.h */
    VAL(CPA_CY_RBG_SEC_STRENGTH_112);
    VAL(CPA_CY_RBG_SEC_STRENGTH_128);
    VAL(CPA_CY_RBG_SEC_STRENGTH_192);
    VAL(CPA_CY_RBG_SEC_STRENGTH_256);
    SIZE(CpaCyDrbgSessionSetupData);
    OFF(CpaCyDrbgSessionSetupData, secStrength);
    OFF(CpaCyDrbgSessionSetupData, predictionResistanceRequired);
    OFF(CpaCyDrbgSessionSetupData, personalizationString);
    OFF(CpaCyDrbgSessionSetupData, personalizationString.dataLenInBytes);
    OFF(CpaCyDrbgSessionSetupData, personalizationString.pData);
    SIZE(CpaCyDrbgGenOpData);
    OFF(CpaCyDrbgGenOpData, sessionHandle);
    OFF(CpaCyDrbgGenOpData, lengthInBytes);
    OFF(CpaCyDrbgGenOpData, secStrength);
    OFF(CpaCyDrbgGenOpData, predictionResistanceRequired);
    OFF(CpaCyDrbgGenOpData, additionalInput);
    OFF(CpaCyDrbgGenOpData, additionalInput.dataLenInBytes);
    OFF(CpaCyDrbgGenOpData, additionalInput.pData);
    SIZE(CpaCyDrbgReseedOpData);
    OFF(CpaCyDrbgReseedOpData, sessionHandle);
    OFF(CpaCyDrbgReseedOpData, additionalInput);
    OFF(CpaCyDrbgReseedOpData, additionalInput.dataLenInBytes);
    OFF(CpaCyDrbgReseedOpData, additionalInput.pData);
    SIZE(CpaCyDrbgStats64);
    OFF(CpaCyDrbgStats64, numSessionsInitialized);
    OFF(CpaCyDrbgStats64, numSessionsRemoved);
    OFF(CpaCyDrbgStats64, numSessionErrors);
    OFF(CpaCyDrbgStats64, numGenRequests);
    OFF(CpaCyDrbgStats64, numGenRequestErrors);
    OFF(CpaCyDrbgStats64, numGenCompleted);
    OFF(CpaCyDrbgStats64, numGenCompletedErrors);
    OFF(CpaCyDrbgStats64, numReseedRequests);
    OFF(CpaCyDrbgStats64, numReseedRequestErrors);
    OFF(CpaCyDrbgStats64, numReseedCompleted);
    OFF(CpaCyDrbgStats64, numReseedCompletedErrors);
    /* cpa_cy_nrbg.h */
    SIZE(CpaCyNrbgOpData);
    OFF(CpaCyNrbgOpData, lengthInBytes);
    /* cpa_cy_kpt.h */
    VAL(CPA_CY_KPT_SUCCESS);
    VAL(CPA_CY_KPT_LOADKEY_FAIL_QUOTA_EXCEEDED_PER_VFID);
    VAL(CPA_CY_KPT_LOADKEY_FAIL_QUOTA_EXCEEDED_PER_PASID);
    VAL(CPA_CY_KPT_LOADKEY_FAIL_QUOTA_EXCEEDED);
    VAL(CPA_CY_KPT_SWK_FAIL_NOT_FOUND);
    VAL(CPA_CY_KPT_FAILED);
    VAL(CPA_CY_RSA3K_SIG_SIZE_INBYTES);
    SIZE(CpaCyKptValidationKey);
    OFF(CpaCyKptValidationKey, publicKey);
    OFF(CpaCyKptValidationKey, publicKey.modulusN);
    OFF(CpaCyKptValidationKey, publicKey.modulusN.dataLenInBytes);
    OFF(CpaCyKptValidationKey, publicKey.modulusN.pData);
    OFF(CpaCyKptValidationKey, publicKey.publicExponentE);
    OFF(CpaCyKptValidationKey, publicKey.publicExponentE.dataLenInBytes);
    OFF(CpaCyKptValidationKey, publicKey.publicExponentE.pData);
    OFF(CpaCyKptValidationKey, signature);
    VAL(CPA_CY_KPT_WRAPPING_KEY_TYPE_AES256_GCM);
    SIZE(CpaCyKptLoadKey);
    OFF(CpaCyKptLoadKey, eSWK);
    OFF(CpaCyKptLoadKey, eSWK.dataLenInBytes);
    OFF(CpaCyKptLoadKey, eSWK.pData);
    OFF(CpaCyKptLoadKey, wrappingAlgorithm);
    VAL(CPA_CY_KPT_MAX_IV_LENGTH);
    VAL(CPA_CY_KPT_MAX_AAD_LENGTH);
    SIZE(CpaCyKptUnwrapContext);
    OFF(CpaCyKptUnwrapContext, kptHandle);
    OFF(CpaCyKptUnwrapContext, iv);
    OFF(CpaCyKptUnwrapContext, additionalAuthData);
    OFF(CpaCyKptUnwrapContext, aadLenInBytes);
    SIZE(CpaCyKptRsaPrivateKeyRep1);
    OFF(CpaCyKptRsaPrivateKeyRep1, privateKey);
    OFF(CpaCyKptRsaPrivateKeyRep1, privateKey.dataLenInBytes);
    OFF(CpaCyKptRsaPrivateKeyRep1, privateKey.pData);
    SIZE(CpaCyKptRsaPrivateKeyRep2);
    OFF(CpaCyKptRsaPrivateKeyRep2, privateKey);
    OFF(CpaCyKptRsaPrivateKeyRep2, privateKey.dataLenInBytes);
    OFF(CpaCyKptRsaPrivateKeyRep2, privateKey.pData);
    SIZE(CpaCyKptRsaPrivateKey);
    OFF(CpaCyKptRsaPrivateKey, version);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRepType);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRep1);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRep1.privateKey);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRep1.privateKey.dataLenInBytes);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRep1.privateKey.pData);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRep2);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRep2.privateKey);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRep2.privateKey.dataLenInBytes);
    OFF(CpaCyKptRsaPrivateKey, privateKeyRep2.privateKey.pData);
    SIZE(CpaCyKptRsaDecryptOpData);
    OFF(CpaCyKptRsaDecryptOpData, pRecipientPrivateKey);
    OFF(CpaCyKptRsaDecryptOpData, inputData);
    OFF(CpaCyKptRsaDecryptOpData, inputData.dataLenInBytes);
    OFF(CpaCyKptRsaDecryptOpData, inputData.pData);
    SIZE(CpaCyKptEcdsaSignRSOpData);
    OFF(CpaCyKptEcdsaSignRSOpData, privateKey);
    OFF(CpaCyKptEcdsaSignRSOpData, privateKey.dataLenInBytes);
    OFF(CpaCyKptEcdsaSignRSOpData, privateKey.pData);
    OFF(CpaCyKptEcdsaSignRSOpData, m);
    OFF(CpaCyKptEcdsaSignRSOpData, m.dataLenInBytes);
    OFF(CpaCyKptEcdsaSignRSOpData, m.pData);

    return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: elliptic-curve point multiplication and verification
   (Weierstrass curves, plus Curve25519/Ed25519/Curve448/Ed448). API facts
   from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_CY_EC_H_
#define CPA_CY_EC_H_

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Field of a curve: GF(p) or GF(2^m). softqat computes over prime fields
   only; binary-field requests return CPA_STATUS_UNSUPPORTED. */
typedef enum
{
    CPA_CY_EC_FIELD_TYPE_PRIME = 1,
    CPA_CY_EC_FIELD_TYPE_BINARY,
} CpaCyEcFieldType;

/* Curve families accepted by the generic EC calls. */
typedef enum
{
    CPA_CY_EC_CURVE_TYPE_WEIERSTRASS_PRIME = 1,
    CPA_CY_EC_CURVE_TYPE_WEIERSTRASS_BINARY,
    CPA_CY_EC_CURVE_TYPE_WEIERSTRASS_KOBLITZ_BINARY,
} CpaCyEcCurveType;

/* RFC 7748 / RFC 8032 curves of cpaCyEcMontEdwdsPointMultiply. */
typedef enum
{
    CPA_CY_EC_MONTEDWDS_CURVE25519_TYPE = 1,
    CPA_CY_EC_MONTEDWDS_ED25519_TYPE,
    CPA_CY_EC_MONTEDWDS_CURVE448_TYPE,
    CPA_CY_EC_MONTEDWDS_ED448_TYPE,
} CpaCyEcMontEdwdsCurveType;

/* Weierstrass curve y^2 = x^3 + ax + b: field type, modulus p,
   coefficients a and b, cofactor h. */
typedef struct
{
    CpaCyEcFieldType fieldType;
    CpaFlatBuffer p;
    CpaFlatBuffer a;
    CpaFlatBuffer b;
    CpaFlatBuffer h;
} CpaCyEcCurveParametersWeierstrass;

/* Curve parameters, one member per curve family. */
typedef union {
    CpaCyEcCurveParametersWeierstrass weierstrassParameters;
} CpaCyEcCurveParameters;

/* A curve: its family and its parameters. */
typedef struct
{
    CpaCyEcCurveType curveType;
    CpaCyEcCurveParameters parameters;
} CpaCyEcCurve;

/* Deprecated inputs of cpaCyEcPointMultiply: k, point (xg, yg), curve
   a, b, modulus q, cofactor h and field type. */
typedef struct
{
    CpaFlatBuffer k;
    CpaFlatBuffer xg;
    CpaFlatBuffer yg;
    CpaFlatBuffer a;
    CpaFlatBuffer b;
    CpaFlatBuffer q;
    CpaFlatBuffer h;
    CpaCyEcFieldType fieldType;
} CpaCyEcPointMultiplyOpData CPA_DEPRECATED;

/* Inputs of the generic point multiply: scalar k, point (xP, yP), curve;
   with generator set, the curve's generator replaces the point. */
typedef struct
{
    CpaFlatBuffer k;
    CpaFlatBuffer xP;
    CpaFlatBuffer yP;
    CpaCyEcCurve *pCurve;
    CpaBoolean generator;
} CpaCyEcGenericPointMultiplyOpData;

/* Inputs of cpaCyEcGenericPointVerify: point (xP, yP) and curve. */
typedef struct
{
    CpaFlatBuffer xP;
    CpaFlatBuffer yP;
    CpaCyEcCurve *pCurve;
} CpaCyEcGenericPointVerifyOpData;

/* Inputs of cpaCyEcMontEdwdsPointMultiply: curve, generator flag, scalar
   k and point (x, y); buffers are 32 bytes (25519) or 64 bytes (448). */
typedef struct
{
    CpaCyEcMontEdwdsCurveType curveType;
    CpaBoolean generator;
    CpaFlatBuffer k;
    CpaFlatBuffer x;
    CpaFlatBuffer y;
} CpaCyEcMontEdwdsPointMultiplyOpData;

/* Deprecated inputs of cpaCyEcPointVerify: point (xq, yq), modulus q,
   a, b and field type. */
typedef struct
{
    CpaFlatBuffer xq;
    CpaFlatBuffer yq;
    CpaFlatBuffer q;
    CpaFlatBuffer a;
    CpaFlatBuffer b;
    CpaCyEcFieldType fieldType;
} CpaCyEcPointVerifyOpData CPA_DEPRECATED;

/* Per-instance EC counters. */
typedef struct
{
    Cpa64U numEcPointMultiplyRequests;
    Cpa64U numEcPointMultiplyRequestErrors;
    Cpa64U numEcPointMultiplyCompleted;
    Cpa64U numEcPointMultiplyCompletedError;
    Cpa64U numEcPointMultiplyCompletedOutputInvalid;
    Cpa64U numEcPointVerifyRequests;
    Cpa64U numEcPointVerifyRequestErrors;
    Cpa64U numEcPointVerifyCompleted;
    Cpa64U numEcPointVerifyCompletedErrors;
    Cpa64U numEcPointVerifyCompletedOutputInvalid;
} CpaCyEcStats64;

/* Callback of the point multiply calls (also used by SM2 multiply). */
typedef void (*CpaCyEcPointMultiplyCbFunc)(void *pCallbackTag,
                                           CpaStatus status,
                                           void *pOpData,
                                           CpaBoolean multiplyStatus,
                                           CpaFlatBuffer *pXk,
                                           CpaFlatBuffer *pYk);

/* Callback of the point verify calls (also used by SM2 point verify). */
typedef void (*CpaCyEcPointVerifyCbFunc)(void *pCallbackTag,
                                         CpaStatus status,
                                         void *pOpData,
                                         CpaBoolean verifyStatus);

/* Deprecated: (xk, yk) = k * (xg, yg); use cpaCyEcGenericPointMultiply.
   A NULL callback makes every call in this header synchronous. */
CpaStatus CPA_DEPRECATED
cpaCyEcPointMultiply(const CpaInstanceHandle instanceHandle,
                     const CpaCyEcPointMultiplyCbFunc pCb,
                     void *pCallbackTag,
                     const CpaCyEcPointMultiplyOpData *pOpData,
                     CpaBoolean *pMultiplyStatus,
                     CpaFlatBuffer *pXk,
                     CpaFlatBuffer *pYk);

/* Deprecated: is (xq, yq) on the curve; use cpaCyEcGenericPointVerify. */
CpaStatus CPA_DEPRECATED
cpaCyEcPointVerify(const CpaInstanceHandle instanceHandle,
                   const CpaCyEcPointVerifyCbFunc pCb,
                   void *pCallbackTag,
                   const CpaCyEcPointVerifyOpData *pOpData,
                   CpaBoolean *pVerifyStatus);

/* (xk, yk) = k * P (or k * G) on the given curve. */
CpaStatus cpaCyEcGenericPointMultiply(
    const CpaInstanceHandle instanceHandle,
    const CpaCyEcPointMultiplyCbFunc pCb,
    void *pCallbackTag,
    const CpaCyEcGenericPointMultiplyOpData *pOpData,
    CpaBoolean *pMultiplyStatus,
    CpaFlatBuffer *pXk,
    CpaFlatBuffer *pYk);

/* Generic point multiply with side-channel (DPA) countermeasures, using
   pRandom or library randomness (createRandomData); same result. */
CpaStatus cpaCyEcDpaGenericPointMultiply(
    const CpaInstanceHandle instanceHandle,
    const CpaCyEcPointMultiplyCbFunc pCb,
    void *pCallbackTag,
    const CpaCyEcGenericPointMultiplyOpData *pOpData,
    const CpaFlatBuffer *pRandom,
    const CpaBoolean createRandomData,
    CpaBoolean *pMultiplyStatus,
    CpaFlatBuffer *pXk,
    CpaFlatBuffer *pYk);

/* Is (xP, yP) a point of the given curve (and not infinity). */
CpaStatus cpaCyEcGenericPointVerify(
    const CpaInstanceHandle instanceHandle,
    const CpaCyEcPointVerifyCbFunc pCb,
    void *pCallbackTag,
    const CpaCyEcGenericPointVerifyOpData *pOpData,
    CpaBoolean *pVerifyStatus);

/* Scalar multiply on Curve25519, Ed25519, Curve448 or Ed448. */
CpaStatus cpaCyEcMontEdwdsPointMultiply(
    const CpaInstanceHandle instanceHandle,
    const CpaCyEcPointMultiplyCbFunc pCb,
    void *pCallbackTag,
    const CpaCyEcMontEdwdsPointMultiplyOpData *pOpData,
    CpaBoolean *pMultiplyStatus,
    CpaFlatBuffer *pXk,
    CpaFlatBuffer *pYk);

/* Read the instance's EC counters. */
CpaStatus cpaCyEcQueryStats64(const CpaInstanceHandle instanceHandle,
                              CpaCyEcStats64 *pEcStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_EC_H_ */

/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: every function of the asymmetric-crypto headers (RSA, DH, DSA,
   EC, ECDH, ECDSA, SM2, large numbers, prime test) is declared and
   resolves. Taking each address forces a relocation; linked with
   -Wl,-z,now against libqat.so, a missing symbol fails at load time.
   Build: cc -std=c99 -Wall -Werror -I<include/qat> protos_asym.c -lqat */

#include <stdio.h>

#include "cpa.h"
#include "cpa_cy_common.h"
#include "cpa_cy_rsa.h"
#include "cpa_cy_dh.h"
#include "cpa_cy_dsa.h"
#include "cpa_cy_ec.h"
#include "cpa_cy_ecdh.h"
#include "cpa_cy_ecdsa.h"
#include "cpa_cy_ecsm2.h"
#include "cpa_cy_ln.h"
#include "cpa_cy_prime.h"

typedef void (*any_fn)(void);

#define FN(f) { #f, (any_fn)f }

static const struct
{
    const char *name;
    any_fn fn;
} functions[] = {
    /* cpa_cy_rsa.h */
    FN(cpaCyRsaGenKey),
    FN(cpaCyRsaEncrypt),
    FN(cpaCyRsaDecrypt),
    FN(cpaCyRsaDpaDecrypt),
    FN(cpaCyRsaQueryStats),
    FN(cpaCyRsaQueryStats64),
    /* cpa_cy_dh.h */
    FN(cpaCyDhKeyGenPhase1),
    FN(cpaCyDhKeyGenPhase2Secret),
    FN(cpaCyDhQueryStats),
    FN(cpaCyDhQueryStats64),
    /* cpa_cy_dsa.h */
    FN(cpaCyDsaGenPParam),
    FN(cpaCyDsaGenGParam),
    FN(cpaCyDsaGenYParam),
    FN(cpaCyDsaSignR),
    FN(cpaCyDsaSignS),
    FN(cpaCyDsaSignRS),
    FN(cpaCyDsaVerify),
    FN(cpaCyDsaQueryStats),
    FN(cpaCyDsaQueryStats64),
    /* cpa_cy_ec.h */
    FN(cpaCyEcPointMultiply),
    FN(cpaCyEcPointVerify),
    FN(cpaCyEcGenericPointMultiply),
    FN(cpaCyEcDpaGenericPointMultiply),
    FN(cpaCyEcGenericPointVerify),
    FN(cpaCyEcMontEdwdsPointMultiply),
    FN(cpaCyEcQueryStats64),
    /* cpa_cy_ecdh.h */
    FN(cpaCyEcdhPointMultiply),
    FN(cpaCyEcdhQueryStats64),
    /* cpa_cy_ecdsa.h */
    FN(cpaCyEcdsaSignR),
    FN(cpaCyEcdsaSignS),
    FN(cpaCyEcdsaSignRS),
    FN(cpaCyEcdsaDpaSignRS),
    FN(cpaCyEcdsaVerify),
    FN(cpaCyEcdsaQueryStats64),
    /* cpa_cy_ecsm2.h */
    FN(cpaCyEcsm2PointMultiply),
    FN(cpaCyEcsm2GeneratorMultiply),
    FN(cpaCyEcsm2PointVerify),
    FN(cpaCyEcsm2Sign),
    FN(cpaCyEcsm2Verify),
    FN(cpaCyEcsm2Encrypt),
    FN(cpaCyEcsm2Decrypt),
    FN(cpaCyEcsm2KeyExPhase1),
    FN(cpaCyEcsm2KeyExPhase2),
    FN(cpaCyEcsm2QueryStats64),
    /* cpa_cy_ln.h */
    FN(cpaCyLnModExp),
    FN(cpaCyLnModInv),
    FN(cpaCyLnStatsQuery),
    FN(cpaCyLnStatsQuery64),
    /* cpa_cy_prime.h */
    FN(cpaCyPrimeTest),
    FN(cpaCyPrimeQueryStats),
    FN(cpaCyPrimeQueryStats64),
};

int main(void)
{
    size_t i, n = sizeof(functions) / sizeof(functions[0]);
    int missing = 0;
    for (i = 0; i < n; i++)
    {
        if (functions[i].fn == NULL)
        {
            printf("unresolved %s\n", functions[i].name);
            missing++;
        }
    }
    printf("%zu asym functions, %d unresolved\n", n, missing);
    return missing != 0;
}

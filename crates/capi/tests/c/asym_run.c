/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: every public-key and key-generation call of
   cpa_cy_rsa.h, cpa_cy_dh.h, cpa_cy_dsa.h, cpa_cy_ec.h, cpa_cy_ecdh.h,
   cpa_cy_ecdsa.h, cpa_cy_ecsm2.h, cpa_cy_ln.h, cpa_cy_prime.h and
   cpa_cy_key.h, driven by a request file the Rust test writes from known
   answer vectors.
   Usage: asym_run <requests> <results>.
   Each request line is `<op> <s|a> <arguments>`: s runs the call
   synchronously (NULL callback), a asynchronously (the callback must run
   inside icp_sal_CyPollInstance / icp_sal_CyPollAsymRing, with the tag, op
   data and output pointers given). Numbers are hex ("-" = NULL buffer of
   length 0), small arguments and output buffer sizes decimal. Output
   buffers are DMA memory filled with 0xAA before the call.
   Each result line is `<status> <flag> <output hex>...` with flag the
   CpaBoolean result (-1 for calls without one) and every output buffer
   printed whole. */
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "cpa_cy_dh.h"
#include "cpa_cy_dsa.h"
#include "cpa_cy_ec.h"
#include "cpa_cy_ecdh.h"
#include "cpa_cy_ecdsa.h"
#include "cpa_cy_ecsm2.h"
#include "cpa_cy_im.h"
#include "cpa_cy_key.h"
#include "cpa_cy_ln.h"
#include "cpa_cy_prime.h"
#include "cpa_cy_rsa.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

static CpaInstanceHandle inst;
static char *tok_state;
static int line_no;

/* ---- arguments ---- */

static const char *next_tok(void)
{
    const char *t = strtok_r(NULL, " \t\r\n", &tok_state);
    if (!t) {
        fprintf(stderr, "FAIL line %d: missing argument\n", line_no);
        exit(2);
    }
    return t;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    fprintf(stderr, "FAIL line %d: bad hex digit\n", line_no);
    exit(2);
}

/* A number argument in a DMA buffer of its own. */
static CpaFlatBuffer num(void)
{
    const char *t = next_tok();
    CpaFlatBuffer b = {0, NULL};
    if (strcmp(t, "-") == 0)
        return b;
    size_t n = strlen(t) / 2;
    b.pData = dma(n ? n : 1);
    b.dataLenInBytes = (Cpa32U)n;
    for (size_t i = 0; i < n; i++)
        b.pData[i] = (Cpa8U)(hexval(t[2 * i]) << 4 | hexval(t[2 * i + 1]));
    return b;
}

static Cpa32U argu(void) { return (Cpa32U)strtoul(next_tok(), NULL, 10); }

/* An output buffer of `n` bytes filled with 0xAA. */
static CpaFlatBuffer outbuf(Cpa32U n)
{
    CpaFlatBuffer b;
    b.pData = dma(n ? n : 1);
    b.dataLenInBytes = n;
    memset(b.pData, 0xAA, n ? n : 1);
    return b;
}

/* ---- asynchronous completion ---- */

static volatile int in_poll;
static struct {
    int called;
    int outside_poll;
    void *tag;
    CpaStatus status;
    void *op;
    CpaBoolean flag;
    void *o1, *o2;
} done;

static void reset_done(void) { memset(&done, 0, sizeof done); }

static void record(void *tag, CpaStatus st, void *op, CpaBoolean flag, void *o1, void *o2)
{
    done.called++;
    done.outside_poll += !in_poll;
    done.tag = tag;
    done.status = st;
    done.op = op;
    done.flag = flag;
    done.o1 = o1;
    done.o2 = o2;
}

static void cb_flat(void *tag, CpaStatus st, void *op, CpaFlatBuffer *out)
{
    record(tag, st, op, CPA_TRUE, out, NULL);
}
static void cb_keygen(void *tag, CpaStatus st, void *op, CpaCyRsaPrivateKey *prv,
                      CpaCyRsaPublicKey *pub)
{
    record(tag, st, op, CPA_TRUE, prv, pub);
}
static void cb_one(void *tag, CpaStatus st, void *op, CpaBoolean flag, CpaFlatBuffer *out)
{
    record(tag, st, op, flag, out, NULL);
}
static void cb_two(void *tag, CpaStatus st, void *op, CpaBoolean flag, CpaFlatBuffer *a,
                   CpaFlatBuffer *b)
{
    record(tag, st, op, flag, a, b);
}
static void cb_verify(void *tag, CpaStatus st, void *op, CpaBoolean flag)
{
    record(tag, st, op, flag, NULL, NULL);
}

/* Polls until the callback ran (alternating the two poll calls). */
static void wait_done(void)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; !done.called; i++) {
        in_poll = 1;
        if (i & 1)
            icp_sal_CyPollAsymRing(inst, 0);
        else
            icp_sal_CyPollInstance(inst, 0);
        in_poll = 0;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (t.tv_sec - t0.tv_sec > 20) {
            fprintf(stderr, "FAIL line %d: no callback after 20 s of polling\n", line_no);
            exit(2);
        }
    }
}

/* ---- the requests ---- */

static FILE *results;

static void print_buf(const CpaFlatBuffer *b)
{
    fputc(' ', results);
    if (!b->pData || !b->dataLenInBytes) {
        fputc('-', results);
        return;
    }
    for (Cpa32U i = 0; i < b->dataLenInBytes; i++)
        fprintf(results, "%02x", b->pData[i]);
}

/* Runs `call` (an expression using cb_* when async, NULL otherwise), then
   checks the asynchronous completion's arguments. */
#define RUN(async, cbfn, tagp, opp, O1, O2, flagvar, call)                     \
    do {                                                                       \
        reset_done();                                                          \
        st = (call);                                                           \
        if (async && st == CPA_STATUS_SUCCESS) {                               \
            CHECK(done.called == 0); /* only inside a poll */                  \
            wait_done();                                                       \
            CHECK(done.called == 1);                                           \
            CHECK(done.outside_poll == 0);                                     \
            CHECK(done.tag == (void *)(tagp));                                 \
            CHECK(done.op == (void *)(opp));                                   \
            CHECK(done.o1 == (void *)(O1));                                    \
            CHECK(done.o2 == (void *)(O2));                                    \
            st = done.status;                                                  \
            flagvar = done.flag;                                               \
        }                                                                      \
    } while (0)

#define CB(fn) (async ? fn : NULL)

static void line(char *text)
{
    char *op = strtok_r(text, " \t\r\n", &tok_state);
    if (!op || op[0] == '#')
        return;
    int async = strcmp(next_tok(), "a") == 0;
    void *tag = (void *)(uintptr_t)(0x5000 + line_no);
    CpaStatus st = CPA_STATUS_FAIL;
    CpaBoolean flag = CPA_FALSE;
    int has_flag = 1;
    CpaFlatBuffer outs[10];
    int nouts = 0;

    if (strcmp(op, "rsa_gen") == 0) {
        CpaCyRsaKeyGenOpData *d = dma(sizeof *d);
        memset(d, 0, sizeof *d);
        Cpa32U rep = argu();
        d->prime1P = num();
        d->prime2Q = num();
        d->publicExponentE = num();
        d->modulusLenInBytes = argu();
        d->version = CPA_CY_RSA_VERSION_TWO_PRIME;
        d->privateKeyRepType = rep;
        Cpa32U size = argu();
        CpaCyRsaPrivateKey *prv = dma(sizeof *prv);
        CpaCyRsaPublicKey *pub = dma(sizeof *pub);
        memset(prv, 0, sizeof *prv);
        pub->modulusN = outbuf(size);
        pub->publicExponentE = outbuf(d->publicExponentE.dataLenInBytes);
        prv->privateKeyRep1.modulusN = outbuf(size);
        prv->privateKeyRep1.privateExponentD = outbuf(size);
        if (rep == 2) {
            prv->privateKeyRep2.prime1P = outbuf(size / 2);
            prv->privateKeyRep2.prime2Q = outbuf(size / 2);
            prv->privateKeyRep2.exponent1Dp = outbuf(size / 2);
            prv->privateKeyRep2.exponent2Dq = outbuf(size / 2);
            prv->privateKeyRep2.coefficientQInv = outbuf(size / 2);
        }
        has_flag = 0;
        RUN(async, cb_keygen, tag, d, prv, pub, flag,
            cpaCyRsaGenKey(inst, CB(cb_keygen), tag, d, prv, pub));
        CHECK(st != CPA_STATUS_SUCCESS || prv->version == CPA_CY_RSA_VERSION_TWO_PRIME);
        CHECK(st != CPA_STATUS_SUCCESS || prv->privateKeyRepType == rep);
        outs[nouts++] = pub->modulusN;
        outs[nouts++] = pub->publicExponentE;
        outs[nouts++] = prv->privateKeyRep1.modulusN;
        outs[nouts++] = prv->privateKeyRep1.privateExponentD;
        if (rep == 2) {
            outs[nouts++] = prv->privateKeyRep2.prime1P;
            outs[nouts++] = prv->privateKeyRep2.prime2Q;
            outs[nouts++] = prv->privateKeyRep2.exponent1Dp;
            outs[nouts++] = prv->privateKeyRep2.exponent2Dq;
            outs[nouts++] = prv->privateKeyRep2.coefficientQInv;
        }
    } else if (strcmp(op, "rsa_enc") == 0) {
        CpaCyRsaEncryptOpData *d = dma(sizeof *d);
        CpaCyRsaPublicKey *k = dma(sizeof *k);
        k->modulusN = num();
        k->publicExponentE = num();
        d->pPublicKey = k;
        d->inputData = num();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        has_flag = 0;
        RUN(async, cb_flat, tag, d, o, NULL, flag,
            cpaCyRsaEncrypt(inst, CB(cb_flat), tag, d, o));
        outs[nouts++] = *o;
    } else if (strcmp(op, "rsa_dec1") == 0 || strcmp(op, "rsa_dec2") == 0 ||
               strcmp(op, "rsa_dpa2") == 0) {
        CpaCyRsaDecryptOpData *d = dma(sizeof *d);
        CpaCyRsaPrivateKey *k = dma(sizeof *k);
        memset(k, 0, sizeof *k);
        k->version = CPA_CY_RSA_VERSION_TWO_PRIME;
        if (op[7] == '1') {
            k->privateKeyRepType = CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1;
            k->privateKeyRep1.modulusN = num();
            k->privateKeyRep1.privateExponentD = num();
        } else {
            k->privateKeyRepType = CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_2;
            k->privateKeyRep2.prime1P = num();
            k->privateKeyRep2.prime2Q = num();
            k->privateKeyRep2.exponent1Dp = num();
            k->privateKeyRep2.exponent2Dq = num();
            k->privateKeyRep2.coefficientQInv = num();
        }
        d->pRecipientPrivateKey = k;
        d->inputData = num();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        has_flag = 0;
        if (op[4] == 'p') {
            CpaCyRsaDpaOpData *x = dma(sizeof *x);
            memset(x, 0, sizeof *x);
            x->pRsaPrimeP = &k->privateKeyRep2.prime1P;
            x->pRsaPrimeQ = &k->privateKeyRep2.prime2Q;
            x->createRandomData = CPA_TRUE;
            RUN(async, cb_flat, tag, d, o, NULL, flag,
                cpaCyRsaDpaDecrypt(inst, CB(cb_flat), tag, d, x, o));
        } else {
            RUN(async, cb_flat, tag, d, o, NULL, flag,
                cpaCyRsaDecrypt(inst, CB(cb_flat), tag, d, o));
        }
        outs[nouts++] = *o;
    } else if (strcmp(op, "dh1") == 0 || strcmp(op, "dh2") == 0) {
        CpaFlatBuffer *o = dma(sizeof *o);
        has_flag = 0;
        if (op[2] == '1') {
            CpaCyDhPhase1KeyGenOpData *d = dma(sizeof *d);
            d->primeP = num();
            d->baseG = num();
            d->privateValueX = num();
            *o = outbuf(argu());
            RUN(async, cb_flat, tag, d, o, NULL, flag,
                cpaCyDhKeyGenPhase1(inst, CB(cb_flat), tag, d, o));
        } else {
            CpaCyDhPhase2SecretKeyGenOpData *d = dma(sizeof *d);
            d->primeP = num();
            d->remoteOctetStringPV = num();
            d->privateValueX = num();
            *o = outbuf(argu());
            RUN(async, cb_flat, tag, d, o, NULL, flag,
                cpaCyDhKeyGenPhase2Secret(inst, CB(cb_flat), tag, d, o));
        }
        outs[nouts++] = *o;
    } else if (strncmp(op, "dsa_", 4) == 0) {
        CpaFlatBuffer *o = dma(2 * sizeof *o);
        const char *w = op + 4;
        if (strcmp(w, "p") == 0) {
            CpaCyDsaPParamGenOpData *d = dma(sizeof *d);
            d->X = num();
            d->Q = num();
            o[0] = outbuf(argu());
            RUN(async, cb_one, tag, d, o, NULL, flag,
                cpaCyDsaGenPParam(inst, CB(cb_one), tag, d, &flag, o));
        } else if (strcmp(w, "g") == 0) {
            CpaCyDsaGParamGenOpData *d = dma(sizeof *d);
            d->P = num();
            d->Q = num();
            d->H = num();
            o[0] = outbuf(argu());
            RUN(async, cb_one, tag, d, o, NULL, flag,
                cpaCyDsaGenGParam(inst, CB(cb_one), tag, d, &flag, o));
        } else if (strcmp(w, "y") == 0) {
            CpaCyDsaYParamGenOpData *d = dma(sizeof *d);
            d->P = num();
            d->G = num();
            d->X = num();
            o[0] = outbuf(argu());
            RUN(async, cb_one, tag, d, o, NULL, flag,
                cpaCyDsaGenYParam(inst, CB(cb_one), tag, d, &flag, o));
        } else if (strcmp(w, "r") == 0) {
            CpaCyDsaRSignOpData *d = dma(sizeof *d);
            d->P = num();
            d->Q = num();
            d->G = num();
            d->K = num();
            o[0] = outbuf(argu());
            RUN(async, cb_one, tag, d, o, NULL, flag,
                cpaCyDsaSignR(inst, CB(cb_one), tag, d, &flag, o));
        } else if (strcmp(w, "s") == 0) {
            CpaCyDsaSSignOpData *d = dma(sizeof *d);
            d->Q = num();
            d->X = num();
            d->K = num();
            d->R = num();
            d->Z = num();
            o[0] = outbuf(argu());
            RUN(async, cb_one, tag, d, o, NULL, flag,
                cpaCyDsaSignS(inst, CB(cb_one), tag, d, &flag, o));
        } else if (strcmp(w, "rs") == 0) {
            CpaCyDsaRSSignOpData *d = dma(sizeof *d);
            d->P = num();
            d->Q = num();
            d->G = num();
            d->X = num();
            d->K = num();
            d->Z = num();
            Cpa32U n = argu();
            o[0] = outbuf(n);
            o[1] = outbuf(n);
            RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
                cpaCyDsaSignRS(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
            outs[nouts++] = o[0];
            o = &o[1];
        } else if (strcmp(w, "ver") == 0) {
            CpaCyDsaVerifyOpData *d = dma(sizeof *d);
            d->P = num();
            d->Q = num();
            d->G = num();
            d->Y = num();
            d->Z = num();
            d->R = num();
            d->S = num();
            RUN(async, cb_verify, tag, d, NULL, NULL, flag,
                cpaCyDsaVerify(inst, CB(cb_verify), tag, d, &flag));
            o = NULL;
        } else {
            fprintf(stderr, "FAIL line %d: unknown op %s\n", line_no, op);
            exit(2);
        }
        if (o)
            outs[nouts++] = o[0];
    } else if (strcmp(op, "ec_mul") == 0) {
        CpaCyEcPointMultiplyOpData *d = dma(sizeof *d);
        d->k = num();
        d->xg = num();
        d->yg = num();
        d->a = num();
        d->b = num();
        d->q = num();
        d->h = num();
        d->fieldType = argu();
        Cpa32U n = argu();
        CpaFlatBuffer *o = dma(2 * sizeof *o);
        o[0] = outbuf(n);
        o[1] = outbuf(n);
        RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
            cpaCyEcPointMultiply(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
        outs[nouts++] = o[0];
        outs[nouts++] = o[1];
    } else if (strcmp(op, "ec_ver") == 0) {
        CpaCyEcPointVerifyOpData *d = dma(sizeof *d);
        d->xq = num();
        d->yq = num();
        d->q = num();
        d->a = num();
        d->b = num();
        d->fieldType = argu();
        RUN(async, cb_verify, tag, d, NULL, NULL, flag,
            cpaCyEcPointVerify(inst, CB(cb_verify), tag, d, &flag));
    } else if (strncmp(op, "ec_g", 4) == 0) {
        CpaCyEcCurve *c = dma(sizeof *c);
        memset(c, 0, sizeof *c);
        c->curveType = CPA_CY_EC_CURVE_TYPE_WEIERSTRASS_PRIME;
        if (strcmp(op, "ec_gver") == 0) {
            CpaCyEcGenericPointVerifyOpData *d = dma(sizeof *d);
            d->xP = num();
            d->yP = num();
            c->parameters.weierstrassParameters.p = num();
            c->parameters.weierstrassParameters.a = num();
            c->parameters.weierstrassParameters.b = num();
            c->parameters.weierstrassParameters.h = num();
            c->parameters.weierstrassParameters.fieldType = argu();
            d->pCurve = c;
            RUN(async, cb_verify, tag, d, NULL, NULL, flag,
                cpaCyEcGenericPointVerify(inst, CB(cb_verify), tag, d, &flag));
        } else {
            CpaCyEcGenericPointMultiplyOpData *d = dma(sizeof *d);
            d->k = num();
            d->xP = num();
            d->yP = num();
            c->parameters.weierstrassParameters.p = num();
            c->parameters.weierstrassParameters.a = num();
            c->parameters.weierstrassParameters.b = num();
            c->parameters.weierstrassParameters.h = num();
            c->parameters.weierstrassParameters.fieldType = argu();
            d->generator = argu();
            d->pCurve = c;
            Cpa32U n = argu();
            CpaFlatBuffer *o = dma(2 * sizeof *o);
            o[0] = outbuf(n);
            o[1] = outbuf(n);
            if (strcmp(op, "ec_gmul_dpa") == 0) {
                RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
                    cpaCyEcDpaGenericPointMultiply(inst, CB(cb_two), tag, d, NULL, CPA_TRUE,
                                                   &flag, &o[0], &o[1]));
            } else {
                RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
                    cpaCyEcGenericPointMultiply(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
            }
            outs[nouts++] = o[0];
            outs[nouts++] = o[1];
        }
    } else if (strcmp(op, "ec_med") == 0) {
        CpaCyEcMontEdwdsPointMultiplyOpData *d = dma(sizeof *d);
        d->curveType = argu();
        d->generator = argu();
        d->k = num();
        d->x = num();
        d->y = num();
        Cpa32U n = argu();
        CpaFlatBuffer *o = dma(2 * sizeof *o);
        o[0] = outbuf(n);
        o[1] = outbuf(n);
        RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
            cpaCyEcMontEdwdsPointMultiply(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
        outs[nouts++] = o[0];
        outs[nouts++] = o[1];
    } else if (strcmp(op, "ecdh") == 0) {
        CpaCyEcdhPointMultiplyOpData *d = dma(sizeof *d);
        d->k = num();
        d->xg = num();
        d->yg = num();
        d->a = num();
        d->b = num();
        d->q = num();
        d->h = num();
        d->fieldType = argu();
        d->pointVerify = argu();
        Cpa32U n = argu();
        CpaFlatBuffer *o = dma(2 * sizeof *o);
        o[0] = outbuf(n);
        o[1] = outbuf(n);
        RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
            cpaCyEcdhPointMultiply(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
        outs[nouts++] = o[0];
        outs[nouts++] = o[1];
    } else if (strcmp(op, "ecdsa_r") == 0) {
        CpaCyEcdsaSignROpData *d = dma(sizeof *d);
        d->xg = num();
        d->yg = num();
        d->n = num();
        d->q = num();
        d->a = num();
        d->b = num();
        d->k = num();
        d->fieldType = argu();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        RUN(async, cb_one, tag, d, o, NULL, flag,
            cpaCyEcdsaSignR(inst, CB(cb_one), tag, d, &flag, o));
        outs[nouts++] = *o;
    } else if (strcmp(op, "ecdsa_s") == 0) {
        CpaCyEcdsaSignSOpData *d = dma(sizeof *d);
        d->m = num();
        d->d = num();
        d->r = num();
        d->k = num();
        d->n = num();
        d->fieldType = argu();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        RUN(async, cb_one, tag, d, o, NULL, flag,
            cpaCyEcdsaSignS(inst, CB(cb_one), tag, d, &flag, o));
        outs[nouts++] = *o;
    } else if (strcmp(op, "ecdsa_rs") == 0 || strcmp(op, "ecdsa_dpa") == 0) {
        CpaCyEcdsaSignRSOpData *d = dma(sizeof *d);
        d->xg = num();
        d->yg = num();
        d->n = num();
        d->q = num();
        d->a = num();
        d->b = num();
        d->k = num();
        d->m = num();
        d->d = num();
        d->fieldType = argu();
        Cpa32U n = argu();
        CpaFlatBuffer *o = dma(2 * sizeof *o);
        o[0] = outbuf(n);
        o[1] = outbuf(n);
        if (op[6] == 'd') {
            CpaFlatBuffer *rnd = dma(sizeof *rnd);
            *rnd = outbuf(32);
            RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
                cpaCyEcdsaDpaSignRS(inst, CB(cb_two), tag, d, rnd, CPA_FALSE, &flag, &o[0],
                                    &o[1]));
        } else {
            RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
                cpaCyEcdsaSignRS(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
        }
        outs[nouts++] = o[0];
        outs[nouts++] = o[1];
    } else if (strcmp(op, "ecdsa_ver") == 0) {
        CpaCyEcdsaVerifyOpData *d = dma(sizeof *d);
        d->xg = num();
        d->yg = num();
        d->n = num();
        d->q = num();
        d->a = num();
        d->b = num();
        d->m = num();
        d->r = num();
        d->s = num();
        d->xp = num();
        d->yp = num();
        d->fieldType = argu();
        RUN(async, cb_verify, tag, d, NULL, NULL, flag,
            cpaCyEcdsaVerify(inst, CB(cb_verify), tag, d, &flag));
    } else if (strncmp(op, "sm2_", 4) == 0) {
        const char *w = op + 4;
        CpaFlatBuffer *o = dma(4 * sizeof *o);
        for (int i = 0; i < 4; i++)
            o[i] = outbuf(32);
        if (strcmp(w, "pmul") == 0) {
            CpaCyEcsm2PointMultiplyOpData *d = dma(sizeof *d);
            d->k = num();
            d->x = num();
            d->y = num();
            d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
            RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
                cpaCyEcsm2PointMultiply(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
            nouts = 2;
        } else if (strcmp(w, "gmul") == 0) {
            CpaCyEcsm2GeneratorMultiplyOpData *d = dma(sizeof *d);
            d->k = num();
            d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
            RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
                cpaCyEcsm2GeneratorMultiply(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
            nouts = 2;
        } else if (strcmp(w, "pver") == 0) {
            CpaCyEcsm2PointVerifyOpData *d = dma(sizeof *d);
            d->x = num();
            d->y = num();
            d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
            RUN(async, cb_verify, tag, d, NULL, NULL, flag,
                cpaCyEcsm2PointVerify(inst, CB(cb_verify), tag, d, &flag));
        } else if (strcmp(w, "sign") == 0) {
            CpaCyEcsm2SignOpData *d = dma(sizeof *d);
            d->k = num();
            d->e = num();
            d->d = num();
            d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
            RUN(async, cb_two, tag, d, &o[0], &o[1], flag,
                cpaCyEcsm2Sign(inst, CB(cb_two), tag, d, &flag, &o[0], &o[1]));
            nouts = 2;
        } else if (strcmp(w, "ver") == 0) {
            CpaCyEcsm2VerifyOpData *d = dma(sizeof *d);
            d->e = num();
            d->r = num();
            d->s = num();
            d->xP = num();
            d->yP = num();
            d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
            RUN(async, cb_verify, tag, d, NULL, NULL, flag,
                cpaCyEcsm2Verify(inst, CB(cb_verify), tag, d, &flag));
        } else if (strcmp(w, "enc") == 0) {
            CpaCyEcsm2EncryptOpData *d = dma(sizeof *d);
            d->k = num();
            d->xP = num();
            d->yP = num();
            d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
            CpaCyEcsm2EncryptOutputData *r = dma(sizeof *r);
            r->x1 = o[0];
            r->y1 = o[1];
            r->x2 = o[2];
            r->y2 = o[3];
            has_flag = 0;
            RUN(async, cb_flat, tag, d, r, NULL, flag,
                cpaCyEcsm2Encrypt(inst, CB(cb_flat), tag, d, r));
            nouts = 4;
        } else if (strcmp(w, "dec") == 0) {
            CpaCyEcsm2DecryptOpData *d = dma(sizeof *d);
            d->d = num();
            d->x1 = num();
            d->y1 = num();
            d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
            CpaCyEcsm2DecryptOutputData *r = dma(sizeof *r);
            r->x2 = o[0];
            r->y2 = o[1];
            has_flag = 0;
            RUN(async, cb_flat, tag, d, r, NULL, flag,
                cpaCyEcsm2Decrypt(inst, CB(cb_flat), tag, d, r));
            nouts = 2;
        } else if (strcmp(w, "kex1") == 0 || strcmp(w, "kex2") == 0) {
            CpaCyEcsm2KeyExOutputData *r = dma(sizeof *r);
            r->x = o[0];
            r->y = o[1];
            has_flag = 0;
            if (w[3] == '1') {
                CpaCyEcsm2KeyExPhase1OpData *d = dma(sizeof *d);
                d->r = num();
                d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
                RUN(async, cb_flat, tag, d, r, NULL, flag,
                    cpaCyEcsm2KeyExPhase1(inst, CB(cb_flat), tag, d, r));
            } else {
                CpaCyEcsm2KeyExPhase2OpData *d = dma(sizeof *d);
                d->r = num();
                d->d = num();
                d->x1 = num();
                d->x2 = num();
                d->y2 = num();
                d->xP = num();
                d->yP = num();
                d->fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
                RUN(async, cb_flat, tag, d, r, NULL, flag,
                    cpaCyEcsm2KeyExPhase2(inst, CB(cb_flat), tag, d, r));
            }
            nouts = 2;
        } else {
            fprintf(stderr, "FAIL line %d: unknown op %s\n", line_no, op);
            exit(2);
        }
        for (int i = 0; i < nouts; i++)
            outs[i] = o[i];
    } else if (strcmp(op, "ln_exp") == 0) {
        CpaCyLnModExpOpData *d = dma(sizeof *d);
        d->modulus = num();
        d->base = num();
        d->exponent = num();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        has_flag = 0;
        RUN(async, cb_flat, tag, d, o, NULL, flag,
            cpaCyLnModExp(inst, CB(cb_flat), tag, d, o));
        outs[nouts++] = *o;
    } else if (strcmp(op, "ln_inv") == 0) {
        CpaCyLnModInvOpData *d = dma(sizeof *d);
        d->A = num();
        d->B = num();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        has_flag = 0;
        RUN(async, cb_flat, tag, d, o, NULL, flag,
            cpaCyLnModInv(inst, CB(cb_flat), tag, d, o));
        outs[nouts++] = *o;
    } else if (strcmp(op, "prime") == 0) {
        CpaCyPrimeTestOpData *d = dma(sizeof *d);
        memset(d, 0, sizeof *d);
        d->primeCandidate = num();
        d->performGcdTest = argu();
        d->performFermatTest = argu();
        d->numMillerRabinRounds = argu();
        d->millerRabinRandomInput = num();
        d->performLucasTest = argu();
        RUN(async, cb_verify, tag, d, NULL, NULL, flag,
            cpaCyPrimeTest(inst, CB(cb_verify), tag, d, &flag));
    } else if (strcmp(op, "ssl") == 0) {
        CpaCyKeyGenSslOpData *d = dma(sizeof *d);
        memset(d, 0, sizeof *d);
        d->sslOp = argu();
        d->secret = num();
        d->seed = num();
        d->userLabel = num();
        d->generatedKeyLenInBytes = argu();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        has_flag = 0;
        RUN(async, cb_flat, tag, d, o, NULL, flag,
            cpaCyKeyGenSsl(inst, CB(cb_flat), tag, d, o));
        outs[nouts++] = *o;
    } else if (strcmp(op, "tls") == 0 || strcmp(op, "tls2") == 0) {
        Cpa32U hash = op[3] == '2' ? argu() : 0;
        CpaCyKeyGenTlsOpData *d = dma(sizeof *d);
        memset(d, 0, sizeof *d);
        d->tlsOp = argu();
        d->secret = num();
        d->seed = num();
        d->userLabel = num();
        d->generatedKeyLenInBytes = argu();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        has_flag = 0;
        if (op[3] == '2') {
            RUN(async, cb_flat, tag, d, o, NULL, flag,
                cpaCyKeyGenTls2(inst, CB(cb_flat), tag, d, hash, o));
        } else {
            RUN(async, cb_flat, tag, d, o, NULL, flag,
                cpaCyKeyGenTls(inst, CB(cb_flat), tag, d, o));
        }
        outs[nouts++] = *o;
    } else if (strcmp(op, "tls3") == 0) {
        CpaCyKeyGenHKDFOpData *d = dma(sizeof *d);
        memset(d, 0, sizeof *d);
        d->hkdfKeyOp = argu();
        Cpa32U suite = argu();
        CpaFlatBuffer s = num(), seed = num(), info = num();
        d->secretLen = (Cpa8U)s.dataLenInBytes;
        memcpy(d->secret, s.pData ? s.pData : (Cpa8U *)"", s.dataLenInBytes);
        d->seedLen = (Cpa16U)seed.dataLenInBytes;
        memcpy(d->seed, seed.pData ? seed.pData : (Cpa8U *)"", seed.dataLenInBytes);
        d->infoLen = (Cpa16U)info.dataLenInBytes;
        memcpy(d->info, info.pData ? info.pData : (Cpa8U *)"", info.dataLenInBytes);
        d->numLabels = (Cpa16U)argu();
        for (int i = 0; i < d->numLabels; i++) {
            CpaFlatBuffer l = num();
            d->label[i].labelLen = (Cpa8U)l.dataLenInBytes;
            memcpy(d->label[i].label, l.pData ? l.pData : (Cpa8U *)"", l.dataLenInBytes);
            d->label[i].sublabelFlag = (Cpa8U)argu();
        }
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        has_flag = 0;
        RUN(async, cb_flat, tag, d, o, NULL, flag,
            cpaCyKeyGenTls3(inst, CB(cb_flat), tag, d, suite, o));
        outs[nouts++] = *o;
    } else if (strcmp(op, "mgf") == 0 || strcmp(op, "mgfext") == 0) {
        CpaCyKeyGenMgfOpDataExt *d = dma(sizeof *d);
        memset(d, 0, sizeof *d);
        int ext = op[3] == 'e';
        if (ext)
            d->hashAlgorithm = argu();
        d->baseOpData.seedBuffer = num();
        d->baseOpData.maskLenInBytes = argu();
        CpaFlatBuffer *o = dma(sizeof *o);
        *o = outbuf(argu());
        has_flag = 0;
        if (ext) {
            RUN(async, cb_flat, tag, d, o, NULL, flag,
                cpaCyKeyGenMgfExt(inst, CB(cb_flat), tag, d, o));
        } else {
            RUN(async, cb_flat, tag, &d->baseOpData, o, NULL, flag,
                cpaCyKeyGenMgf(inst, CB(cb_flat), tag, &d->baseOpData, o));
        }
        outs[nouts++] = *o;
    } else {
        fprintf(stderr, "FAIL line %d: unknown op %s\n", line_no, op);
        exit(2);
    }

    fprintf(results, "%d %d", (int)st, has_flag ? (int)flag : -1);
    for (int i = 0; i < nouts; i++)
        print_buf(&outs[i]);
    fputc('\n', results);
}

int main(int argc, char **argv)
{
    /* The harness's file helpers are not needed here. */
    (void)fill_text;
    (void)write_file;
    if (argc != 3) {
        fprintf(stderr, "usage: asym_run <requests> <results>\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    results = fopen(argv[2], "w");
    if (!in || !results) {
        fprintf(stderr, "FAIL cannot open the request or result file\n");
        return 2;
    }
    REQUIRE_OK(icp_sal_userStart("SSL"));
    Cpa16U n = 0;
    REQUIRE_OK(cpaGetNumInstances(CPA_ACC_SVC_TYPE_CRYPTO_ASYM, &n));
    CHECK(n >= 1);
    REQUIRE_OK(cpaGetInstances(CPA_ACC_SVC_TYPE_CRYPTO_ASYM, 1, &inst));
    REQUIRE_OK(cpaCyStartInstance(inst));

    static char buf[1 << 16];
    while (fgets(buf, sizeof buf, in)) {
        line_no++;
        line(buf);
    }
    fclose(in);
    fclose(results);
    ok("requests run");

    CHECK_OK(cpaCyStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

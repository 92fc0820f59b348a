/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: the symmetric data-plane API as a qatlib program uses
   it — op data in DMA memory with physical addresses (qaeVirtToPhysNUMA),
   flat buffers and CPA_DP_BUFLIST lists, one enqueue with performOpNow,
   batches sent by cpaCySymDpPerformOpNow, an all-or-none batch refusal,
   verification with a tampered tag, session removal while requests are
   queued, and refused arguments.
   Usage: sym_dp <output dir>. Writes <output dir>/features.txt (`name hex`
   lines) for the Rust side to recompute with independent implementations. */
#include <stdint.h>
#include <unistd.h>

#include "sym_common.h"
#include "cpa_cy_sym_dp.h"

static Cpa8U KEY16[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                          0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
static Cpa8U MACKEY[32];

static volatile int dp_done = 0;
static volatile int dp_bad = 0;
static volatile CpaBoolean last_verify = CPA_FALSE;

static void dp_cb(CpaCySymDpOpData *op, CpaStatus status, CpaBoolean verify)
{
    if (status != CPA_STATUS_SUCCESS || op == NULL || op->pCallbackTag != (void *)op)
        dp_bad++;
    last_verify = verify;
    dp_done++;
}

static void wait_dp(int n)
{
    for (long spins = 0; dp_done < n && spins < 2000000; spins++)
        if (icp_sal_CyPollDpInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(5);
    CHECK(dp_done == n);
}

static CpaCySymSessionCtx dp_session(CpaCySymSessionSetupData *sd)
{
    Cpa32U size = 0, dyn = 0;
    CHECK_OK(cpaCySymDpSessionCtxGetSize(inst, sd, &size));
    CHECK_OK(cpaCySymDpSessionCtxGetDynamicSize(inst, sd, &dyn));
    CHECK(size > 0 && dyn > 0);
    CpaCySymSessionCtx s = dma(size);
    REQUIRE_OK(cpaCySymDpInitSession(inst, sd, s));
    return s;
}

static CpaPhysicalAddr phys(void *p)
{
    return qaeVirtToPhysNUMA(p);
}

static CpaCySymDpOpData *new_op(CpaCySymSessionCtx s)
{
    CpaCySymDpOpData *op = dma(sizeof *op);
    memset(op, 0, sizeof *op);
    op->instanceHandle = inst;
    op->sessionCtx = s;
    op->thisPhys = phys(op);
    op->pCallbackTag = op;
    return op;
}

static void flat(CpaCySymDpOpData *op, Cpa8U *src, Cpa8U *dst, Cpa32U len)
{
    op->srcBuffer = phys(src);
    op->srcBufferLen = len;
    op->dstBuffer = phys(dst);
    op->dstBufferLen = len;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    char path[4096];
    snprintf(path, sizeof path, "%s/features.txt", dir);
    FILE *out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "FAIL cannot write %s\n", path);
        return 2;
    }
    start_crypto();
    for (int i = 0; i < 32; i++)
        MACKEY[i] = (Cpa8U)(0x20 + i);
    Cpa8U *data = dma(8192);
    fill_text(data, 8192, 11);
    put_named(out, "data", data, 8192);
    CpaCySymSessionSetupData sd;

    /* AES-128-GCM, flat, in place, tag into digestResult. */
    setup_aead(&sd, CPA_CY_SYM_CIPHER_AES_GCM, KEY16, 16, CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT,
               16, 16);
    sd.digestIsAppended = CPA_FALSE;
    CpaCySymSessionCtx gcm = dp_session(&sd);
    Cpa8U *buf = dma(1024), *iv = dma(16), *aad = dma(16), *tag = dma(16);
    memcpy(buf, data, 1000);
    memcpy(iv, data + 1000, 12);
    memcpy(aad, data + 1100, 16);
    CpaCySymDpOpData *op = new_op(gcm);
    flat(op, buf, buf, 1000);
    op->messageLenToCipherInBytes = 1000;
    op->messageLenToHashInBytes = 1000;
    op->iv = phys(iv);
    op->pIv = iv;
    op->ivLenInBytes = 12;
    op->additionalAuthData = phys(aad);
    op->pAdditionalAuthData = aad;
    op->digestResult = phys(tag);
    /* No callback registered yet. */
    CHECK_STATUS(cpaCySymDpEnqueueOp(op, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaCySymDpRegCbFunc(inst, NULL), CPA_STATUS_INVALID_PARAM);
    REQUIRE_OK(cpaCySymDpRegCbFunc(inst, dp_cb));
    CHECK_OK(cpaCySymDpEnqueueOp(op, CPA_TRUE));
    wait_dp(1);
    CHECK(dp_bad == 0 && last_verify == CPA_TRUE);
    put_named(out, "dp_gcm_ct", buf, 1000);
    put_named(out, "dp_gcm_tag", tag, 16);
    ok("data-plane AES-GCM, flat, in place");

    /* Decrypt with verification, then with a tampered tag. */
    setup_aead(&sd, CPA_CY_SYM_CIPHER_AES_GCM, KEY16, 16, CPA_CY_SYM_CIPHER_DIRECTION_DECRYPT,
               16, 16);
    sd.digestIsAppended = CPA_FALSE;
    CpaCySymSessionCtx gcmd = dp_session(&sd);
    Cpa8U *plain = dma(1024);
    CpaCySymDpOpData *dop = new_op(gcmd);
    *dop = *op;
    dop->sessionCtx = gcmd;
    dop->pCallbackTag = dop;
    dop->thisPhys = phys(dop);
    flat(dop, buf, plain, 1000);
    CHECK_OK(cpaCySymDpEnqueueOp(dop, CPA_TRUE));
    wait_dp(2);
    CHECK(last_verify == CPA_TRUE);
    CHECK(memcmp(plain, data, 1000) == 0);
    tag[3] ^= 4;
    CHECK_OK(cpaCySymDpEnqueueOp(dop, CPA_TRUE));
    wait_dp(3);
    CHECK(last_verify == CPA_FALSE);
    tag[3] ^= 4;
    ok("data-plane verification, tampered tag refused");

    /* AES-128-CBC then HMAC-SHA-256 on a CPA_DP_BUFLIST of 3 pieces, in
       place, the MAC into digestResult. */
    setup_cipher(&sd, CPA_CY_SYM_CIPHER_AES_CBC, KEY16, 16, CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT);
    sd.symOperation = CPA_CY_SYM_OP_ALGORITHM_CHAINING;
    sd.algChainOrder = CPA_CY_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH;
    sd.hashSetupData.hashAlgorithm = CPA_CY_SYM_HASH_SHA256;
    sd.hashSetupData.hashMode = CPA_CY_SYM_HASH_MODE_AUTH;
    sd.hashSetupData.digestResultLenInBytes = 32;
    sd.hashSetupData.authModeSetupData.authKey = MACKEY;
    sd.hashSetupData.authModeSetupData.authKeyLenInBytes = 32;
    CpaCySymSessionCtx chain = dp_session(&sd);
    Cpa8U *p0 = dma(160), *p1 = dma(96), *p2 = dma(256), *mac = dma(32), *civ = dma(16);
    memcpy(p0, data, 160);
    memcpy(p1, data + 160, 96);
    memcpy(p2, data + 256, 256);
    memcpy(civ, data + 2000, 16);
    CpaPhysBufferList *bl = dma(sizeof(CpaPhysBufferList) + 3 * sizeof(CpaPhysFlatBuffer));
    memset(bl, 0, sizeof *bl);
    bl->numBuffers = 3;
    bl->flatBuffers[0].dataLenInBytes = 160;
    bl->flatBuffers[0].bufferPhysAddr = phys(p0);
    bl->flatBuffers[1].dataLenInBytes = 96;
    bl->flatBuffers[1].bufferPhysAddr = phys(p1);
    bl->flatBuffers[2].dataLenInBytes = 256;
    bl->flatBuffers[2].bufferPhysAddr = phys(p2);
    CpaCySymDpOpData *cop = new_op(chain);
    cop->srcBuffer = phys(bl);
    cop->srcBufferLen = CPA_DP_BUFLIST;
    cop->dstBuffer = phys(bl);
    cop->dstBufferLen = CPA_DP_BUFLIST;
    cop->messageLenToCipherInBytes = 512;
    cop->messageLenToHashInBytes = 512;
    cop->iv = phys(civ);
    cop->ivLenInBytes = 16; /* read through the physical address: pIv is NULL */
    cop->digestResult = phys(mac);
    CHECK_OK(cpaCySymDpEnqueueOp(cop, CPA_FALSE));
    CHECK_OK(cpaCySymDpPerformOpNow(inst));
    wait_dp(4);
    CHECK(dp_bad == 0);
    put_named(out, "dp_chain_iv", civ, 16);
    put_named(out, "dp_chain_p0", p0, 160);
    put_named(out, "dp_chain_p1", p1, 96);
    put_named(out, "dp_chain_p2", p2, 256);
    put_named(out, "dp_chain_mac", mac, 32);
    ok("data-plane chain on a CPA_DP_BUFLIST");

    /* A batch of 16, out of place, sent by cpaCySymDpPerformOpNow. */
    enum { N = 16 };
    setup_cipher(&sd, CPA_CY_SYM_CIPHER_AES_CTR, KEY16, 16, CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT);
    CpaCySymSessionCtx ctr = dp_session(&sd);
    CpaCySymDpOpData *ops[N];
    Cpa8U *outs[N];
    for (int i = 0; i < N; i++) {
        ops[i] = new_op(ctr);
        outs[i] = dma(300);
        Cpa8U *ivb = dma(16);
        memset(ivb, 0, 16);
        ivb[15] = (Cpa8U)i;
        flat(ops[i], data + 100 * i, outs[i], 300);
        ops[i]->messageLenToCipherInBytes = 300;
        ops[i]->iv = phys(ivb);
        ops[i]->pIv = ivb;
        ops[i]->ivLenInBytes = 16;
    }
    CHECK_OK(cpaCySymDpEnqueueOpBatch(N, ops, CPA_FALSE));
    CHECK_STATUS(icp_sal_CyPollDpInstance(inst, 0), CPA_STATUS_RETRY); /* nothing sent yet */
    CHECK_OK(cpaCySymDpPerformOpNow(inst));
    wait_dp(4 + N);
    CHECK(dp_bad == 0);
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "dp_ctr_%d", i);
        put_named(out, name, outs[i], 300);
    }
    ok("data-plane batch");

    /* All or none: one bad op (its source is not DMA memory) refuses the
       whole batch, and nothing is queued. */
    Cpa8U *heap = malloc(300);
    CpaCySymDpOpData *two[3] = {ops[0], ops[1], ops[2]};
    CpaPhysicalAddr keep = ops[1]->srcBuffer;
    ops[1]->srcBuffer = (CpaPhysicalAddr)(uintptr_t)heap;
    CHECK_STATUS(cpaCySymDpEnqueueOpBatch(3, two, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    ops[1]->srcBuffer = keep;
    CHECK_OK(cpaCySymDpPerformOpNow(inst));
    CHECK_STATUS(icp_sal_CyPollDpInstance(inst, 0), CPA_STATUS_RETRY);
    CHECK(dp_done == 4 + N);
    free(heap);
    CHECK_STATUS(cpaCySymDpEnqueueOpBatch(0, two, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaCySymDpEnqueueOpBatch(3, NULL, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    ok("data-plane batch all or none");

    /* Removal while a request is queued: RETRY, then fine once done. */
    CHECK_OK(cpaCySymDpEnqueueOp(ops[0], CPA_FALSE));
    CHECK_STATUS(cpaCySymDpRemoveSession(inst, ctr), CPA_STATUS_RETRY);
    CpaBoolean inuse = CPA_FALSE;
    CHECK_OK(cpaCySymSessionInUse(ctr, &inuse));
    CHECK(inuse == CPA_TRUE);
    CHECK_OK(cpaCySymDpPerformOpNow(inst));
    wait_dp(5 + N);
    CHECK_OK(cpaCySymDpRemoveSession(inst, ctr));
    CHECK_STATUS(cpaCySymDpRemoveSession(inst, ctr), CPA_STATUS_INVALID_PARAM);
    ok("data-plane session removal");

    /* Refused arguments. */
    Cpa8U junk[256];
    memset(junk, 0x77, sizeof junk);
    CHECK_STATUS(cpaCySymDpEnqueueOp(NULL, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    CpaCySymDpOpData bad = *op;
    bad.sessionCtx = junk;
    CHECK_STATUS(cpaCySymDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    bad = *op;
    bad.instanceHandle = junk;
    CHECK_STATUS(cpaCySymDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    bad = *op;
    bad.srcBuffer = (CpaPhysicalAddr)(uintptr_t)junk; /* stack memory */
    CHECK_STATUS(cpaCySymDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    bad = *op;
    bad.digestResult = (CpaPhysicalAddr)(uintptr_t)junk;
    CHECK_STATUS(cpaCySymDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    bad = *op;
    bad.ivLenInBytes = 99;
    CHECK_STATUS(cpaCySymDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    bad = *op;
    bad.messageLenToCipherInBytes = 1001; /* past the buffer */
    CHECK_STATUS(cpaCySymDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    /* A traditional session in the data-plane call, and the other way. */
    setup_cipher(&sd, CPA_CY_SYM_CIPHER_AES_CBC, KEY16, 16, CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT);
    CpaCySymSessionCtx trad = new_session(&sd, NULL);
    bad = *op;
    bad.sessionCtx = trad;
    CHECK_STATUS(cpaCySymDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    CpaCySymOpData top;
    memset(&top, 0, sizeof top);
    top.sessionCtx = gcm;
    top.packetType = CPA_CY_SYM_PACKET_TYPE_FULL;
    CpaBufferList *l = one_buffer(buf, 64);
    CHECK_STATUS(cpaCySymPerformOp(inst, NULL, &top, l, l, NULL), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaCySymRemoveSession(inst, gcm), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaCySymDpRemoveSession(inst, trad), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaCySymDpRegCbFunc((CpaInstanceHandle)junk, dp_cb), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaCySymDpPerformOpNow((CpaInstanceHandle)junk), CPA_STATUS_INVALID_PARAM);
    CHECK(dp_done == 5 + N);
    ok("data-plane refused arguments");

    CHECK_OK(cpaCySymRemoveSession(inst, trad));
    CHECK_OK(cpaCySymDpRemoveSession(inst, gcm));
    CHECK_OK(cpaCySymDpRemoveSession(inst, gcmd));
    CHECK_OK(cpaCySymDpRemoveSession(inst, chain));
    fclose(out);
    CHECK_OK(cpaCyStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    ok("teardown");
    return finish();
}

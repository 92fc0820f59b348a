/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: compression chaining (cpa_dc_chain.h) as a qatlib
   program uses it — hash then compress with SHA-256 (synchronous) and
   SHA-1 (asynchronous, polled), the capability bit, and the setups and
   requests qatlib refuses.
   Usage: dc_chain <output dir>. Writes in.bin, sync.raw / async.raw (raw
   deflate of in.bin) and sync.sha256 / async.sha1 (the digests), which the
   Rust side checks with flate2 and the sha1/sha2 crates. */
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_chain.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

#define LEN (64 * 1024)

static CpaInstanceHandle inst;

static CpaBufferList *one_buffer(Cpa8U *data, Cpa32U len)
{
    CpaBufferList *l = dma(sizeof(CpaBufferList));
    l->numBuffers = 1;
    l->pBuffers = dma(sizeof(CpaFlatBuffer));
    l->pBuffers[0].pData = data;
    l->pBuffers[0].dataLenInBytes = len;
    Cpa32U meta = 0;
    CHECK_OK(cpaDcBufferListGetMetaSize(inst, 1, &meta));
    l->pPrivateMetaData = dma(meta);
    return l;
}

static CpaDcSessionSetupData dc_sd;
static CpaCySymSessionSetupData cy_sd;
static CpaDcChainSessionSetupData chain_sd[2];

static void setup_defaults(CpaCySymHashAlgorithm alg, Cpa32U digest_len)
{
    memset(&dc_sd, 0, sizeof dc_sd);
    dc_sd.compLevel = CPA_DC_L1;
    dc_sd.compType = CPA_DC_DEFLATE;
    dc_sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    dc_sd.autoSelectBestHuffmanTree = CPA_DC_ASB_DISABLED;
    dc_sd.sessDirection = CPA_DC_DIR_COMPRESS;
    dc_sd.sessState = CPA_DC_STATELESS;
    dc_sd.windowSize = CPA_DC_WINSIZE_32K;
    dc_sd.checksum = CPA_DC_CRC32;
    memset(&cy_sd, 0, sizeof cy_sd);
    cy_sd.sessionPriority = CPA_CY_PRIORITY_NORMAL;
    cy_sd.symOperation = CPA_CY_SYM_OP_HASH;
    cy_sd.hashSetupData.hashAlgorithm = alg;
    cy_sd.hashSetupData.hashMode = CPA_CY_SYM_HASH_MODE_PLAIN;
    cy_sd.hashSetupData.digestResultLenInBytes = digest_len;
    cy_sd.digestIsAppended = CPA_FALSE;
    cy_sd.verifyDigest = CPA_FALSE;
    chain_sd[0].sessType = CPA_DC_CHAIN_SYMMETRIC_CRYPTO;
    chain_sd[0].pCySetupData = &cy_sd;
    chain_sd[1].sessType = CPA_DC_CHAIN_COMPRESS_DECOMPRESS;
    chain_sd[1].pDcSetupData = &dc_sd;
}

static CpaDcSessionHandle new_session(CpaDcCallbackFn cb)
{
    Cpa32U size = 0;
    CHECK_OK(cpaDcChainGetSessionSize(inst, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                      chain_sd, &size));
    CHECK(size > 0);
    CpaDcSessionHandle s = dma(size);
    REQUIRE_OK(cpaDcChainInitSession(inst, s, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                     chain_sd, cb));
    return s;
}

static CpaCySymOpData sym_op;
static CpaDcOpData dc_op;
static CpaDcChainOpData chain_op[2];

static void op_defaults(Cpa8U *digest, Cpa32U len)
{
    memset(&sym_op, 0, sizeof sym_op);
    sym_op.packetType = CPA_CY_SYM_PACKET_TYPE_FULL;
    sym_op.hashStartSrcOffsetInBytes = 0;
    sym_op.messageLenToHashInBytes = len;
    sym_op.pDigestResult = digest;
    memset(&dc_op, 0, sizeof dc_op);
    dc_op.flushFlag = CPA_DC_FLUSH_FINAL;
    dc_op.compressAndVerify = CPA_TRUE;
    dc_op.compressAndVerifyAndRecover = CPA_TRUE;
    chain_op[0].opType = CPA_DC_CHAIN_SYMMETRIC_CRYPTO;
    chain_op[0].pCySymOp = &sym_op;
    chain_op[1].opType = CPA_DC_CHAIN_COMPRESS_DECOMPRESS;
    chain_op[1].pDcOp = &dc_op;
}

static volatile int callbacks_done = 0;
static volatile CpaStatus callback_status = -99;
static void *callback_tag = NULL;

static void on_done(void *tag, CpaStatus status)
{
    callback_tag = tag;
    callback_status = status;
    callbacks_done++;
}

int main(int argc, char **argv)
{
    const char *out = argc > 1 ? argv[1] : ".";
    REQUIRE_OK(icp_sal_userStart("SSL"));
    Cpa16U n = 0;
    REQUIRE_OK(cpaDcGetNumInstances(&n));
    CpaInstanceHandle handles[64];
    REQUIRE_OK(cpaDcGetInstances(n, handles));
    inst = handles[0];
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));
    CHECK_OK(cpaDcSetAddressTranslation(inst, qaeVirtToPhysNUMA));

    CpaDcInstanceCapabilities caps;
    memset(&caps, 0, sizeof caps);
    CHECK_OK(cpaDcQueryCapabilities(inst, &caps));
    CHECK(caps.dcChainCapInfo[0] == (1u << CPA_DC_CHAIN_HASH_THEN_COMPRESS));
    ok("capabilities");

    Cpa8U *src = dma(LEN);
    fill_text(src, LEN, 11);
    write_file(out, "in.bin", src, LEN);
    Cpa32U bound = 0;
    CHECK_OK(cpaDcDeflateCompressBound(inst, CPA_DC_HT_FULL_DYNAMIC, LEN, &bound));
    Cpa8U *dst = dma(bound);
    Cpa8U *digest = dma(64);
    CpaBufferList *sl = one_buffer(src, LEN);
    CpaBufferList *dl = one_buffer(dst, bound);

    /* Synchronous, SHA-256. */
    setup_defaults(CPA_CY_SYM_HASH_SHA256, 32);
    CpaDcSessionHandle s = new_session(NULL);
    op_defaults(digest, LEN);
    CpaDcChainRqResults r;
    memset(&r, 0xa5, sizeof r);
    CHECK_OK(cpaDcChainPerformOp(inst, s, sl, dl, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                 chain_op, &r, NULL));
    CHECK(r.dcStatus == CPA_DC_OK);
    CHECK(r.cyStatus == CPA_STATUS_SUCCESS);
    CHECK(r.consumed == LEN);
    CHECK(r.produced > 0 && r.produced < LEN);
    write_file(out, "sync.raw", dst, r.produced);
    write_file(out, "sync.sha256", digest, 32);
    char crctext[16];
    snprintf(crctext, sizeof crctext, "%08x", r.crc32);
    write_file(out, "sync.crc32", crctext, 8);

    /* Refused requests. */
    dc_op.compressAndVerify = CPA_FALSE;
    dc_op.compressAndVerifyAndRecover = CPA_FALSE;
    CHECK_STATUS(cpaDcChainPerformOp(inst, s, sl, dl, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                     chain_op, &r, NULL),
                 CPA_STATUS_UNSUPPORTED);
    op_defaults(digest, LEN);
    dc_op.flushFlag = CPA_DC_FLUSH_SYNC;
    CHECK_STATUS(cpaDcChainPerformOp(inst, s, sl, dl, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                     chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    op_defaults(digest, LEN);
    CHECK_STATUS(cpaDcChainPerformOp(inst, s, sl, dl, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 1,
                                     chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    sym_op.pDigestResult = NULL;
    CHECK_STATUS(cpaDcChainPerformOp(inst, s, sl, dl, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                     chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    op_defaults(digest, LEN + 1);
    CHECK_STATUS(cpaDcChainPerformOp(inst, s, sl, dl, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                     chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_OK(cpaDcChainResetSession(inst, s));
    CHECK_OK(cpaDcChainRemoveSession(inst, s));
    CHECK_STATUS(cpaDcChainRemoveSession(inst, s), CPA_STATUS_INVALID_PARAM);
    ok("synchronous hash then compress");

    /* Refused setups. */
    Cpa32U size = 0;
    setup_defaults(CPA_CY_SYM_HASH_SHA256, 32);
    CHECK_STATUS(cpaDcChainGetSessionSize(inst, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 1, chain_sd,
                                          &size),
                 CPA_STATUS_INVALID_PARAM);
    CpaDcSessionHandle bad = dma(256);
    CHECK_STATUS(cpaDcChainInitSession(inst, bad, CPA_DC_CHAIN_COMPRESS_THEN_HASH, 2,
                                       chain_sd, NULL),
                 CPA_STATUS_UNSUPPORTED);
    CHECK_STATUS(cpaDcChainInitSession(inst, bad, 13, 2, chain_sd, NULL),
                 CPA_STATUS_INVALID_PARAM);
    cy_sd.hashSetupData.hashAlgorithm = CPA_CY_SYM_HASH_MD5;
    CHECK_STATUS(cpaDcChainInitSession(inst, bad, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                       chain_sd, NULL),
                 CPA_STATUS_INVALID_PARAM);
    setup_defaults(CPA_CY_SYM_HASH_SHA256, 32);
    cy_sd.symOperation = CPA_CY_SYM_OP_CIPHER;
    CHECK_STATUS(cpaDcChainInitSession(inst, bad, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                       chain_sd, NULL),
                 CPA_STATUS_INVALID_PARAM);
    setup_defaults(CPA_CY_SYM_HASH_SHA256, 32);
    cy_sd.digestIsAppended = CPA_TRUE;
    CHECK_STATUS(cpaDcChainInitSession(inst, bad, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                       chain_sd, NULL),
                 CPA_STATUS_INVALID_PARAM);
    setup_defaults(CPA_CY_SYM_HASH_SHA256, 32);
    dc_sd.sessDirection = CPA_DC_DIR_DECOMPRESS;
    CHECK_STATUS(cpaDcChainInitSession(inst, bad, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                       chain_sd, NULL),
                 CPA_STATUS_INVALID_PARAM);
    setup_defaults(CPA_CY_SYM_HASH_SHA256, 32);
    chain_sd[0].sessType = CPA_DC_CHAIN_COMPRESS_DECOMPRESS;
    CHECK_STATUS(cpaDcChainInitSession(inst, bad, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                       chain_sd, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcChainSetCrcControlData(inst, bad, NULL), CPA_STATUS_INVALID_PARAM);
    ok("refused setups");

    /* Asynchronous, SHA-1, polled. */
    setup_defaults(CPA_CY_SYM_HASH_SHA1, 20);
    CpaDcSessionHandle a = new_session(on_done);
    memset(dst, 0, bound);
    op_defaults(digest, LEN);
    memset(&r, 0xa5, sizeof r);
    CHECK_OK(cpaDcChainPerformOp(inst, a, sl, dl, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2,
                                 chain_op, &r, (void *)0x5eed));
    for (int i = 0; i < 100000 && callbacks_done == 0; i++) {
        icp_sal_DcPollInstance(inst, 0);
        if (callbacks_done == 0)
            usleep(100);
    }
    CHECK(callbacks_done == 1);
    CHECK(callback_status == CPA_STATUS_SUCCESS);
    CHECK(callback_tag == (void *)0x5eed);
    CHECK(r.dcStatus == CPA_DC_OK);
    CHECK(r.consumed == LEN);
    write_file(out, "async.raw", dst, r.produced);
    write_file(out, "async.sha1", digest, 20);
    CHECK_OK(cpaDcChainRemoveSession(inst, a));
    ok("asynchronous hash then compress");

    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

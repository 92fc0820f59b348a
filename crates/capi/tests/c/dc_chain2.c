/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: compression chaining with integrity CRCs
   (cpaDcChainPerformOp2, cpaDcChainSetCrcControlData) as a qatlib program
   uses them — hash then compress with SHA-256 (synchronous, the default
   CRC64) and SHA-1 (asynchronous, polled, CRC-64/XZ programmed on the
   chaining session), and the requests qatlib refuses.
   Usage: dc_chain2 <output dir>. Writes in.bin and, for "sync" and "async",
   <name>.raw (raw deflate of in.bin), <name>.digest and <name>.crc
   ("iDcCrc64 oDcCrc64" in hex), which tests/c_dc.rs checks with flate2, the
   sha1/sha2 crates and the crc crate. */
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_chain.h"
#include "cpa_dc_capabilities.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

#define LEN (48 * 1024)

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
    l->pPrivateMetaData = dma(meta ? meta : 1);
    return l;
}

static CpaDcSessionHandle new_session(CpaCySymHashAlgorithm alg, Cpa32U digest_len,
                                      CpaDcCallbackFn cb)
{
    static CpaDcSessionSetupData dc_sd;
    static CpaCySymSessionSetupData cy_sd;
    static CpaDcChainSessionSetupData chain_sd[2];
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
    chain_sd[0].sessType = CPA_DC_CHAIN_SYMMETRIC_CRYPTO;
    chain_sd[0].pCySetupData = &cy_sd;
    chain_sd[1].sessType = CPA_DC_CHAIN_COMPRESS_DECOMPRESS;
    chain_sd[1].pDcSetupData = &dc_sd;
    Cpa32U size = 0;
    CHECK_OK(cpaDcChainGetSessionSize(inst, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2, chain_sd,
                                      &size));
    CpaDcSessionHandle s = dma(size);
    REQUIRE_OK(cpaDcChainInitSession(inst, s, CPA_DC_CHAIN_HASH_THEN_COMPRESS, 2, chain_sd,
                                     cb));
    return s;
}

static CpaCySymOpData2 sym_op;
static CpaDcOpData2 dc_op;
static CpaDcChainSubOpData2 sub_op[2];
static CpaDcChainOpData2 chain_op;

/* A PerformOp2 request hashing all of the source, with integrity CRC64s
   written to crc. */
static void op_defaults(Cpa8U *digest, CpaCrcData *crc)
{
    memset(&sym_op, 0, sizeof sym_op);
    sym_op.symOpData.packetType = CPA_CY_SYM_PACKET_TYPE_FULL;
    sym_op.symOpData.messageLenToHashInBytes = LEN;
    sym_op.symOpData.pDigestResult = digest;
    memset(&dc_op, 0, sizeof dc_op);
    dc_op.dcOpData.flushFlag = CPA_DC_FLUSH_FINAL;
    dc_op.dcOpData.compressAndVerify = CPA_TRUE;
    dc_op.dcOpData.integrityCrcCheck = CPA_TRUE;
    dc_op.dcOpData.integrityCrcSize = CPA_DC_INTEGRITY_CRC64;
    dc_op.dcOpData.pCrcData = crc;
    sub_op[0].opType = CPA_DC_CHAIN_SYMMETRIC_CRYPTO;
    sub_op[0].pCySymOp2 = &sym_op;
    sub_op[1].opType = CPA_DC_CHAIN_COMPRESS_DECOMPRESS;
    sub_op[1].pDcOp2 = &dc_op;
    memset(&chain_op, 0, sizeof chain_op);
    chain_op.testIntegrity = CPA_TRUE;
    chain_op.operation = CPA_DC_CHAIN_HASH_THEN_COMPRESS;
    chain_op.numOpDatas = 2;
    chain_op.pChainOpData = sub_op;
}

static void write_crcs(const char *out, const char *name, const CpaDcChainRqVResults *r)
{
    char text[64];
    int n = snprintf(text, sizeof text, "%016llx %016llx\n", (unsigned long long)r->iDcCrc64,
                     (unsigned long long)r->oDcCrc64);
    write_file(out, name, text, (size_t)n);
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

    /* The capability that announces cpaDcChainSetCrcControlData. */
    CpaDcCapabilityReq req = {CPA_DC_DEFLATE, CPA_DC_DIR_COMPRESS,
                              CPA_DC_CAP_BOOL_CHAIN_PROGRAMMABLE_CRC64};
    CpaDcCapabilityResp resp;
    memset(&resp, 0, sizeof resp);
    CHECK_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_TRUE);
    req.algo = CPA_DC_LZ4;
    CHECK_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_FALSE);

    Cpa8U *src = dma(LEN);
    fill_text(src, LEN, 7);
    write_file(out, "in.bin", src, LEN);
    Cpa32U bound = 0;
    CHECK_OK(cpaDcDeflateCompressBound(inst, CPA_DC_HT_FULL_DYNAMIC, LEN, &bound));
    Cpa8U *dst = dma(bound);
    Cpa8U *digest = dma(64);
    CpaCrcData *crc = dma(sizeof(CpaCrcData));
    CpaBufferList *sl = one_buffer(src, LEN);
    CpaBufferList *dl = one_buffer(dst, bound);
    /* Hash then compress has no intermediate data, but qatlib requires
       the list. */
    Cpa8U *inter_data = dma(64);
    CpaBufferList *il = one_buffer(inter_data, 64);

    /* Synchronous, SHA-256, the default CRC64 (CRC-64/ECMA-182). */
    CpaDcSessionHandle s = new_session(CPA_CY_SYM_HASH_SHA256, 32, NULL);
    op_defaults(digest, crc);
    memset(crc, 0, sizeof *crc);
    CpaDcChainRqVResults r;
    memset(&r, 0xa5, sizeof r);
    CHECK_OK(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, &r, NULL));
    CHECK(r.chainStatus == CPA_STATUS_SUCCESS);
    CHECK(r.chainRqResults.dcStatus == CPA_DC_OK);
    CHECK(r.chainRqResults.cyStatus == CPA_STATUS_SUCCESS);
    CHECK(r.chainRqResults.consumed == LEN);
    CHECK(r.chainRqResults.produced > 0 && r.chainRqResults.produced < LEN);
    CHECK(r.storedCrc64 == 0 && r.ctxCrc64 == 0);
    /* The results report what the endpoint wrote to pCrcData. */
    CHECK(r.iDcCrc64 == crc->integrityCrc64b.iCrc);
    CHECK(r.oDcCrc64 == crc->integrityCrc64b.oCrc);
    CHECK(r.iDcCrc64 != 0 && r.oDcCrc64 != 0);
    write_file(out, "sync.raw", dst, r.chainRqResults.produced);
    write_file(out, "sync.digest", digest, 32);
    write_crcs(out, "sync.crc", &r);
    Cpa64U default_icrc = r.iDcCrc64;

    /* Without integrityCrcCheck the request runs and reports no CRC64s. */
    dc_op.dcOpData.integrityCrcCheck = CPA_FALSE;
    dc_op.dcOpData.pCrcData = NULL;
    memset(&r, 0xa5, sizeof r);
    CHECK_OK(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, &r, NULL));
    CHECK(r.chainStatus == CPA_STATUS_SUCCESS && r.chainRqResults.consumed == LEN);
    CHECK(r.iDcCrc64 == 0 && r.oDcCrc64 == 0);
    ok("synchronous PerformOp2 with integrity CRC64s");

    /* Refused requests, as qatlib refuses them. */
    op_defaults(digest, crc);
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, sl, dl, NULL, chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, NULL, dl, il, chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcChainPerformOp2(inst, NULL, sl, dl, il, chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    chain_op.pChainOpData = NULL;
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    op_defaults(digest, crc);
    chain_op.numOpDatas = 1;
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    op_defaults(digest, crc);
    chain_op.operation = CPA_DC_CHAIN_COMPRESS_THEN_HASH;
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    op_defaults(digest, crc);
    dc_op.appendCRC64 = CPA_TRUE;
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, &r, NULL),
                 CPA_STATUS_UNSUPPORTED);
    op_defaults(digest, crc);
    dc_op.dcOpData.pCrcData = NULL;
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    op_defaults(digest, crc);
    sub_op[0].opType = CPA_DC_CHAIN_COMPRESS_DECOMPRESS;
    CHECK_STATUS(cpaDcChainPerformOp2(inst, s, sl, dl, il, chain_op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM);
    /* CRC control data: NULL, a zero polynomial, a session that is not one. */
    CpaCrcControlData xz = {0x42F0E1EBA9EA3693ULL, ~0ULL, CPA_TRUE, CPA_TRUE, ~0ULL};
    CHECK_STATUS(cpaDcChainSetCrcControlData(inst, s, NULL), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcChainSetCrcControlData(inst, NULL, &xz), CPA_STATUS_INVALID_PARAM);
    CpaCrcControlData zero = xz;
    zero.polynomial = 0;
    CHECK_STATUS(cpaDcChainSetCrcControlData(inst, s, &zero), CPA_STATUS_INVALID_PARAM);
    Cpa8U *not_session = dma(256);
    CHECK_STATUS(cpaDcChainSetCrcControlData(inst, not_session, &xz),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_OK(cpaDcChainRemoveSession(inst, s));
    ok("refused PerformOp2 and SetCrcControlData calls");

    /* Asynchronous, SHA-1, CRC-64/XZ programmed on the chaining session. */
    CpaDcSessionHandle a = new_session(CPA_CY_SYM_HASH_SHA1, 20, on_done);
    CHECK_OK(cpaDcChainSetCrcControlData(inst, a, &xz));
    memset(dst, 0, bound);
    memset(crc, 0, sizeof *crc);
    op_defaults(digest, crc);
    memset(&r, 0xa5, sizeof r);
    CHECK_OK(cpaDcChainPerformOp2(inst, a, sl, dl, il, chain_op, &r, (void *)0x5eed));
    for (int i = 0; i < 100000 && callbacks_done == 0; i++) {
        icp_sal_DcPollInstance(inst, 0);
        if (callbacks_done == 0)
            usleep(100);
    }
    CHECK(callbacks_done == 1);
    CHECK(callback_status == CPA_STATUS_SUCCESS);
    CHECK(callback_tag == (void *)0x5eed);
    CHECK(r.chainStatus == CPA_STATUS_SUCCESS);
    CHECK(r.chainRqResults.dcStatus == CPA_DC_OK);
    CHECK(r.chainRqResults.consumed == LEN);
    CHECK(r.iDcCrc64 == crc->integrityCrc64b.iCrc);
    CHECK(r.oDcCrc64 == crc->integrityCrc64b.oCrc);
    /* Same input, another polynomial: another input CRC. */
    CHECK(r.iDcCrc64 != default_icrc);
    write_file(out, "async.raw", dst, r.chainRqResults.produced);
    write_file(out, "async.digest", digest, 20);
    write_crcs(out, "async.crc", &r);
    CHECK_OK(cpaDcChainRemoveSession(inst, a));
    ok("asynchronous PerformOp2 with a programmed CRC64");

    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

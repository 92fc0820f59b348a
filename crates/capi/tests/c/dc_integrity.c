/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: integrity CRCs and the programmable CRC64
   (cpaDcSetCrcControlData, CpaDcOpData.integrityCrcCheck and
   verifyHwIntegrityCrcs, CpaCrcData), the data-plane partial reads and zero
   padding (cpaDcDpEnqueueOpWithPartRead, cpaDcDpEnqueueOpWithZeroPad and
   their batches, cpaDcDpIsPartReadSupported, cpaDcDpIsZeroPadSupported) and
   the capabilities that announce them, on the built-in 4xxx endpoints.

   Writes to the output directory (argv[1]) what tests/c_dc.rs checks with
   independent implementations: in.bin, the CRCs under the default CRC64
   and under CRC-64/XZ (crc_default.txt, crc_xz.txt: iCrc oCrc crc32 of
   in.bin and of its compressed form out_*.bin), the partial reads
   (part*.bin with their offsets in part.txt) and a zero-padded output
   (pad.bin, produced bytes in pad.txt). */
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_dp.h"
#include "cpa_dc_capabilities.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

#define LEN 60000
#define PAD_DST 40000

static volatile int dp_done = 0;
static volatile int dp_bad = 0;

static void dp_callback(CpaDcDpOpData *op)
{
    if (op->responseStatus != CPA_STATUS_SUCCESS || op->results.status != CPA_DC_OK)
        dp_bad++;
    dp_done++;
}

static void drain(CpaInstanceHandle inst, int want)
{
    for (int spins = 0; dp_done < want && spins < 2000000; spins++)
        if (icp_sal_DcPollDpInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(5);
}

static CpaBufferList *one_buffer(CpaInstanceHandle inst, Cpa8U *data, Cpa32U len)
{
    Cpa32U meta = 0;
    REQUIRE_OK(cpaDcBufferListGetMetaSize(inst, 1, &meta));
    CpaBufferList *l = dma(sizeof(CpaBufferList));
    l->numBuffers = 1;
    l->pBuffers = dma(sizeof(CpaFlatBuffer));
    l->pBuffers[0].pData = data;
    l->pBuffers[0].dataLenInBytes = len;
    l->pPrivateMetaData = dma(meta ? meta : 1);
    return l;
}

static CpaStatus cap(CpaInstanceHandle inst, CpaDcCompType algo, CpaDcDir dir,
                     CpaDcCapabilityId id, CpaBoolean *out)
{
    CpaDcCapabilityReq req = {algo, dir, id};
    CpaDcCapabilityResp resp;
    CpaStatus s = cpaDcQueryCapabilityByType(inst, req, &resp);
    *out = resp.boolStatus;
    return s;
}

/* One compression with integrity CRCs, verified in software too; the CRCs
   and the output go to <name>.txt and out_<name>.bin. */
static void compress_with_crcs(const char *outdir, const char *name, CpaInstanceHandle inst,
                               CpaDcSessionHandle sess, Cpa8U *src, Cpa8U *dst,
                               Cpa32U bound)
{
    CpaBufferList *s = one_buffer(inst, src, LEN);
    CpaBufferList *d = one_buffer(inst, dst, bound);
    CpaCrcData *crc = dma(sizeof(CpaCrcData));
    memset(crc, 0, sizeof *crc);
    CpaDcOpData op;
    memset(&op, 0, sizeof op);
    op.flushFlag = CPA_DC_FLUSH_FINAL;
    op.compressAndVerify = CPA_TRUE;
    op.integrityCrcCheck = CPA_TRUE;
    op.verifyHwIntegrityCrcs = CPA_TRUE;
    op.integrityCrcSize = CPA_DC_INTEGRITY_CRC64;
    op.pCrcData = crc;
    CpaDcRqResults r;
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcCompressData2(inst, sess, s, d, &op, &r, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == LEN && r.produced > 0);
    CHECK(crc->integrityCrc64b.iCrc != 0 && crc->integrityCrc64b.oCrc != 0);
    char text[128];
    int n = snprintf(text, sizeof text, "%016llx %016llx %08x\n",
                     (unsigned long long)crc->integrityCrc64b.iCrc,
                     (unsigned long long)crc->integrityCrc64b.oCrc, crc->crc32);
    char file[64];
    snprintf(file, sizeof file, "crc_%s.txt", name);
    write_file(outdir, file, text, (size_t)n);
    snprintf(file, sizeof file, "out_%s.bin", name);
    write_file(outdir, file, dst, r.produced);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: dc_integrity <outdir>\n");
        return 2;
    }
    const char *outdir = argv[1];
    REQUIRE_OK(icp_sal_userStart("SSL"));
    CpaInstanceHandle inst;
    REQUIRE_OK(cpaDcGetInstances(1, &inst));
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));

    /* Capabilities: 64-bit integrity CRCs, programmable CRC64, partial
       reads and zero padding on the data plane. */
    CpaDcInstanceCapabilities caps;
    memset(&caps, 0xa5, sizeof caps);
    CHECK_OK(cpaDcQueryCapabilities(inst, &caps));
    CHECK(caps.integrityCrcs64b == CPA_TRUE && caps.integrityCrcs == CPA_FALSE);
    CpaBoolean b = CPA_FALSE;
    CHECK_OK(cap(inst, CPA_DC_DEFLATE, CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_INTEGRITY_CRC64, &b));
    CHECK(b == CPA_TRUE);
    CHECK_OK(cap(inst, CPA_DC_DEFLATE, CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_INTEGRITY_CRC32, &b));
    CHECK(b == CPA_FALSE);
    CHECK_OK(cap(inst, CPA_DC_DEFLATE, CPA_DC_DIR_DECOMPRESS, CPA_DC_CAP_BOOL_PROGRAMMABLE_CRC64, &b));
    CHECK(b == CPA_TRUE);
    CHECK_OK(cap(inst, CPA_DC_LZ4, CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_E2E_CRC_OVER_COMP_BLOCK, &b));
    CHECK(b == CPA_FALSE);
    CHECK_STATUS(cap(inst, CPA_DC_DEFLATE, CPA_DC_DIR_COMPRESS,
                     CPA_DC_CAP_BOOL_E2E_CRC_OVER_COMP_BLOCK, &b),
                 CPA_STATUS_UNSUPPORTED);
    b = CPA_FALSE;
    CHECK_OK(cpaDcDpIsPartReadSupported(inst, &b));
    CHECK(b == CPA_TRUE);
    b = CPA_FALSE;
    CHECK_OK(cpaDcDpIsZeroPadSupported(inst, &b));
    CHECK(b == CPA_TRUE);
    CHECK_STATUS(cpaDcDpIsZeroPadSupported(inst, NULL), CPA_STATUS_INVALID_PARAM);
    ok("capabilities");

    /* A synchronous deflate session. */
    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L1;
    sd.compType = CPA_DC_DEFLATE;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd.autoSelectBestHuffmanTree = CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS;
    sd.sessDirection = CPA_DC_DIR_COMBINED;
    sd.sessState = CPA_DC_STATELESS;
    sd.windowSize = CPA_DC_WINSIZE_32K;
    sd.checksum = CPA_DC_CRC32;
    Cpa32U ssize = 0, csize = 0;
    REQUIRE_OK(cpaDcGetSessionSize(inst, &sd, &ssize, &csize));
    CpaDcSessionHandle sess = dma(ssize);
    REQUIRE_OK(cpaDcInitSession(inst, sess, &sd, NULL, NULL));

    Cpa8U *src = dma(LEN);
    fill_text(src, LEN, 11);
    write_file(outdir, "in.bin", src, LEN);
    Cpa32U bound = 0;
    CHECK_OK(cpaDcDeflateCompressBound(inst, CPA_DC_HT_FULL_DYNAMIC, LEN, &bound));
    Cpa8U *dst = dma(bound);

    /* Default CRC64 (CRC-64/ECMA-182), then CRC-64/XZ programmed. */
    compress_with_crcs(outdir, "default", inst, sess, src, dst, bound);
    CpaCrcControlData xz = {0x42F0E1EBA9EA3693ULL, ~0ULL, CPA_TRUE, CPA_TRUE, ~0ULL};
    CHECK_OK(cpaDcSetCrcControlData(inst, sess, &xz));
    compress_with_crcs(outdir, "xz", inst, sess, src, dst, bound);
    CpaCrcControlData zero = xz;
    zero.polynomial = 0;
    CHECK_STATUS(cpaDcSetCrcControlData(inst, sess, &zero), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcSetCrcControlData(inst, sess, NULL), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcSetCrcControlData(inst, NULL, &xz), CPA_STATUS_INVALID_PARAM);
    ok("integrity CRCs, default and programmed CRC64");

    /* Refused integrity requests. */
    CpaBufferList *ls = one_buffer(inst, src, LEN);
    CpaBufferList *ld = one_buffer(inst, dst, bound);
    CpaDcOpData op;
    memset(&op, 0, sizeof op);
    op.flushFlag = CPA_DC_FLUSH_FINAL;
    op.integrityCrcCheck = CPA_TRUE;
    op.integrityCrcSize = CPA_DC_INTEGRITY_CRC64;
    CpaDcRqResults r;
    CHECK_STATUS(cpaDcCompressData2(inst, sess, ls, ld, &op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM); /* pCrcData NULL */
    op.integrityCrcCheck = CPA_FALSE;
    op.verifyHwIntegrityCrcs = CPA_TRUE;
    CHECK_STATUS(cpaDcCompressData2(inst, sess, ls, ld, &op, &r, NULL),
                 CPA_STATUS_INVALID_PARAM); /* verify without the check */
    ok("refused integrity requests");

    /* The stream to read parts of: compressed with the data plane's
       session below. */
    memset(&op, 0, sizeof op);
    op.flushFlag = CPA_DC_FLUSH_FINAL;
    op.compressAndVerify = CPA_TRUE;
    memset(&r, 0, sizeof r);
    REQUIRE_OK(cpaDcCompressData2(inst, sess, ls, ld, &op, &r, NULL));
    Cpa32U stream_len = r.produced;

    REQUIRE_OK(cpaDcDpRegCbFunc(inst, dp_callback));
    CpaDcSessionSetupData dd = sd;
    dd.sessDirection = CPA_DC_DIR_DECOMPRESS;
    REQUIRE_OK(cpaDcDpGetSessionSize(inst, &dd, &ssize));
    CpaDcSessionHandle dsess = dma(ssize);
    REQUIRE_OK(cpaDcDpInitSession(inst, dsess, &dd));

    /* Partial reads: one alone, two in a batch. */
    Cpa32U offsets[3] = {0, 12345, LEN - 1000};
    Cpa32U lengths[3] = {4096, 8192, 4096};
    CpaDcDpOpData *ops[3];
    CpaDcDpPartialReadData *parts[3];
    Cpa8U *out[3];
    for (int i = 0; i < 3; i++) {
        out[i] = dma(lengths[i]);
        ops[i] = dma(sizeof(CpaDcDpOpData));
        memset(ops[i], 0, sizeof(CpaDcDpOpData));
        CpaDcDpOpData *o = ops[i];
        o->bufferLenToCompress = stream_len;
        o->bufferLenForData = lengths[i];
        o->dcInstance = inst;
        o->pSessionHandle = dsess;
        o->srcBuffer = qaeVirtToPhysNUMA(dst);
        o->srcBufferLen = stream_len;
        o->destBuffer = qaeVirtToPhysNUMA(out[i]);
        o->destBufferLen = lengths[i];
        o->sessDirection = CPA_DC_DIR_DECOMPRESS;
        o->thisPhys = qaeVirtToPhysNUMA(o);
        parts[i] = dma(sizeof(CpaDcDpPartialReadData));
        parts[i]->bufferOffset = 0;
        parts[i]->dataOffset = offsets[i];
        parts[i]->length = lengths[i];
    }
    REQUIRE_OK(cpaDcDpEnqueueOpWithPartRead(ops[0], parts[0], CPA_TRUE));
    REQUIRE_OK(cpaDcDpEnqueueOpWithPartReadBatch(2, &ops[1], &parts[1], CPA_TRUE));
    drain(inst, 3);
    CHECK(dp_done == 3 && dp_bad == 0);
    char text[256];
    int tn = 0;
    for (int i = 0; i < 3; i++) {
        char file[32];
        snprintf(file, sizeof file, "part%d.bin", i);
        write_file(outdir, file, out[i], ops[i]->results.produced);
        tn += snprintf(text + tn, sizeof text - (size_t)tn, "%u %u\n", offsets[i], lengths[i]);
    }
    write_file(outdir, "part.txt", text, (size_t)tn);
    /* The last region runs past the end: 1000 bytes. */
    CHECK(ops[0]->results.produced == 4096 && ops[2]->results.produced == 1000);
    ok("partial reads, single and batch");

    /* Refused partial reads. */
    CpaDcDpPartialReadData p = *parts[0];
    p.bufferOffset = 16;
    CHECK_STATUS(cpaDcDpEnqueueOpWithPartRead(ops[0], &p, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    p = *parts[0];
    p.length = lengths[0] + 1;
    CHECK_STATUS(cpaDcDpEnqueueOpWithPartRead(ops[0], &p, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcDpEnqueueOpWithPartRead(ops[0], NULL, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcDpEnqueueOpWithPartReadBatch(1, &ops[0], NULL, CPA_TRUE),
                 CPA_STATUS_INVALID_PARAM);
    /* Zero padding is for compression. */
    CHECK_STATUS(cpaDcDpEnqueueOpWithZeroPad(ops[0], CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    ok("refused partial reads");

    /* Zero padding: one alone and one in a batch, into destinations filled
       with 0xEE. */
    CpaDcSessionSetupData cd = sd;
    cd.sessDirection = CPA_DC_DIR_COMPRESS;
    CpaDcSessionHandle csess = dma(ssize);
    REQUIRE_OK(cpaDcDpInitSession(inst, csess, &cd));
    Cpa8U *pad[2];
    CpaDcDpOpData *pops[2];
    for (int i = 0; i < 2; i++) {
        pad[i] = dma(PAD_DST);
        memset(pad[i], 0xEE, PAD_DST);
        pops[i] = dma(sizeof(CpaDcDpOpData));
        memset(pops[i], 0, sizeof(CpaDcDpOpData));
        CpaDcDpOpData *o = pops[i];
        o->bufferLenToCompress = LEN;
        o->bufferLenForData = PAD_DST;
        o->dcInstance = inst;
        o->pSessionHandle = csess;
        o->srcBuffer = qaeVirtToPhysNUMA(src);
        o->srcBufferLen = LEN;
        o->destBuffer = qaeVirtToPhysNUMA(pad[i]);
        o->destBufferLen = PAD_DST;
        o->sessDirection = CPA_DC_DIR_COMPRESS;
        o->compressAndVerify = CPA_TRUE;
        o->thisPhys = qaeVirtToPhysNUMA(o);
    }
    REQUIRE_OK(cpaDcDpEnqueueOpWithZeroPad(pops[0], CPA_TRUE));
    REQUIRE_OK(cpaDcDpEnqueueOpWithZeroPadBatch(1, &pops[1], CPA_TRUE));
    drain(inst, 5);
    CHECK(dp_done == 5 && dp_bad == 0);
    for (int i = 0; i < 2; i++) {
        Cpa32U n = pops[i]->results.produced;
        Cpa32U end = (n + 4095) / 4096 * 4096;
        CHECK(n > 0 && end <= PAD_DST);
        for (Cpa32U j = n; j < end; j++)
            CHECK(pad[i][j] == 0);
        for (Cpa32U j = end; j < PAD_DST; j++)
            CHECK(pad[i][j] == 0xEE);
    }
    write_file(outdir, "pad.bin", pad[0], pops[0]->results.produced);
    ok("zero padding, single and batch");

    CHECK_OK(cpaDcDpRemoveSession(inst, dsess));
    CHECK_OK(cpaDcDpRemoveSession(inst, csess));
    CHECK_OK(cpaDcRemoveSession(inst, sess));
    CHECK_OK(cpaDcStopInstance(inst));
    icp_sal_userStop();
    return finish();
}

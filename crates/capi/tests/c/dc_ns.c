/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: the no-session compression API — cpaDcNsCompressData
   and cpaDcNsDecompressData (synchronous and with a callback), framing by
   cpaDcNsGenerateHeader/Footer, qatlib's refusals, the no-session CnV error
   injection — plus cpaDcSetAsbThreshold/Ratio and cpaDcDpUpdateSession.
   Usage: dc_ns <output dir>. Writes in.bin, raw.bin (raw deflate),
   stream.gz and stream.zlib (header + data + footer) for the Rust side to
   check with flate2. */
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_dp.h"
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

static void ns_setup(CpaDcNsSetupData *sd, CpaDcSessionDir dir, CpaDcChecksum checksum)
{
    memset(sd, 0, sizeof *sd);
    sd->compLevel = CPA_DC_L1;
    sd->compType = CPA_DC_DEFLATE;
    sd->huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd->autoSelectBestHuffmanTree = CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS;
    sd->sessDirection = dir;
    sd->sessState = CPA_DC_STATELESS;
    sd->windowSize = CPA_DC_WINSIZE_32K;
    sd->checksum = checksum;
}

static void op_final(CpaDcOpData *op)
{
    memset(op, 0, sizeof *op);
    op->flushFlag = CPA_DC_FLUSH_FINAL;
    op->compressAndVerify = CPA_TRUE;
    op->compressAndVerifyAndRecover = CPA_TRUE;
}

/* Header, one no-session request, footer: a whole stream in `out`. */
static Cpa32U framed(CpaDcChecksum checksum, Cpa8U *src, Cpa8U *out, Cpa32U cap,
                     Cpa32U *sum)
{
    CpaDcNsSetupData sd;
    ns_setup(&sd, CPA_DC_DIR_COMPRESS, checksum);
    CpaFlatBuffer hb = {.dataLenInBytes = cap, .pData = out};
    Cpa32U hlen = 0;
    CHECK_OK(cpaDcNsGenerateHeader(&sd, &hb, &hlen));
    CHECK(hlen == (checksum == CPA_DC_CRC32 ? 10u : 2u));
    CpaBufferList *s = one_buffer(src, LEN);
    CpaBufferList *d = one_buffer(out + hlen, cap - hlen - 16);
    CpaDcOpData op;
    op_final(&op);
    CpaDcRqResults r;
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcNsCompressData(inst, &sd, s, d, &op, &r, NULL, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == LEN && r.produced > 0);
    Cpa32U body = r.produced;
    CpaFlatBuffer fb = {.dataLenInBytes = 16, .pData = out + hlen + body};
    CHECK_OK(cpaDcNsGenerateFooter(&sd, LEN, &fb, &r));
    CHECK(r.produced == body + (checksum == CPA_DC_CRC32 ? 8u : 4u));
    *sum = r.checksum;
    return hlen + r.produced;
}

static volatile int cb_done = 0;
static volatile int cb_bad = 0;

static void ns_callback(void *tag, CpaStatus status)
{
    if (tag != (void *)0xfeed || status != CPA_STATUS_SUCCESS)
        cb_bad++;
    cb_done++;
}

static volatile int dp_done = 0;

static void dp_callback(CpaDcDpOpData *op)
{
    (void)op;
    dp_done++;
}

int main(int argc, char **argv)
{
    const char *outdir = argc > 1 ? argv[1] : ".";
    REQUIRE_OK(icp_sal_userStart("SSL"));
    REQUIRE_OK(cpaDcGetInstances(1, &inst));
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));

    Cpa8U *src = dma(LEN);
    fill_text(src, LEN, 3);
    write_file(outdir, "in.bin", src, LEN);
    Cpa32U bound = 0;
    CHECK_OK(cpaDcDeflateCompressBound(inst, CPA_DC_HT_FULL_DYNAMIC, LEN, &bound));
    Cpa32U cap = bound + 64;

    /* Raw deflate, no session, then back. */
    CpaDcNsSetupData sd;
    ns_setup(&sd, CPA_DC_DIR_COMPRESS, CPA_DC_NONE);
    Cpa8U *cmp = dma(cap);
    CpaBufferList *sl = one_buffer(src, LEN);
    CpaBufferList *cl = one_buffer(cmp, cap);
    CpaDcOpData op;
    op_final(&op);
    CpaDcRqResults r;
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcNsCompressData(inst, &sd, sl, cl, &op, &r, NULL, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == LEN && r.produced < LEN / 2);
    Cpa32U raw_len = r.produced;
    write_file(outdir, "raw.bin", cmp, raw_len);
    Cpa32U count = 99;
    CpaFlatBuffer hb = {.dataLenInBytes = 16, .pData = dma(16)};
    CHECK_OK(cpaDcNsGenerateHeader(&sd, &hb, &count));
    CHECK(count == 0);

    CpaDcNsSetupData dd;
    ns_setup(&dd, CPA_DC_DIR_DECOMPRESS, CPA_DC_CRC32);
    Cpa8U *back = dma(LEN);
    CpaBufferList *rl = one_buffer(cmp, raw_len);
    CpaBufferList *bl = one_buffer(back, LEN);
    CpaDcRqResults dr;
    memset(&dr, 0, sizeof dr);
    CHECK_OK(cpaDcNsDecompressData(inst, &dd, rl, bl, &op, &dr, NULL, NULL));
    CHECK(dr.status == CPA_DC_OK && dr.produced == LEN && dr.consumed == raw_len);
    CHECK(memcmp(back, src, LEN) == 0);
    ok("no-session raw deflate round trip");

    /* gzip and zlib framing by the Ns header and footer calls. */
    Cpa8U *gz = dma(cap);
    Cpa32U crc = 0, adler = 0;
    Cpa32U gz_len = framed(CPA_DC_CRC32, src, gz, cap, &crc);
    write_file(outdir, "stream.gz", gz, gz_len);
    CHECK(crc == dr.checksum); /* the decompression's CRC32 of the same data */
    Cpa8U *zl = dma(cap);
    Cpa32U zl_len = framed(CPA_DC_ADLER32, src, zl, cap, &adler);
    write_file(outdir, "stream.zlib", zl, zl_len);
    CHECK(adler != 0 && adler != crc);
    ok("no-session gzip and zlib framing");

    /* With a callback: completes inside a poll. */
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcNsCompressData(inst, &sd, sl, cl, &op, &r, ns_callback, (void *)0xfeed));
    for (int spins = 0; cb_done < 1 && spins < 2000000; spins++)
        if (icp_sal_DcPollInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(5);
    CHECK(cb_done == 1 && cb_bad == 0);
    CHECK(r.status == CPA_DC_OK && r.produced == raw_len && r.consumed == LEN);
    ok("no-session request with a callback");

    /* qatlib's refusals. */
    CpaDcOpData bad_op = op;
    bad_op.compressAndVerify = CPA_FALSE;
    bad_op.compressAndVerifyAndRecover = CPA_FALSE;
    CHECK_STATUS(cpaDcNsCompressData(inst, &sd, sl, cl, &bad_op, &r, NULL, NULL),
                 CPA_STATUS_UNSUPPORTED);
    CHECK_STATUS(cpaDcNsCompressData(inst, &sd, sl, cl, NULL, &r, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcNsCompressData(inst, NULL, sl, cl, &op, &r, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcNsCompressData(inst, &sd, sl, sl, &op, &r, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CpaDcNsSetupData bad = sd;
    bad.sessDirection = CPA_DC_DIR_COMBINED;
    CHECK_STATUS(cpaDcNsCompressData(inst, &bad, sl, cl, &op, &r, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcNsDecompressData(inst, &sd, rl, bl, &op, &r, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    bad = sd;
    bad.sessState = CPA_DC_STATEFUL;
    CHECK_STATUS(cpaDcNsCompressData(inst, &bad, sl, cl, &op, &r, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    bad = sd;
    bad.compLevel = 13;
    CHECK_STATUS(cpaDcNsCompressData(inst, &bad, sl, cl, &op, &r, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcNsGenerateHeader(&bad, &hb, &count), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcNsGenerateHeader(&sd, NULL, &count), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcNsGenerateFooter(&sd, LEN, &hb, NULL), CPA_STATUS_INVALID_PARAM);
    CpaDcOpData none = op;
    none.flushFlag = CPA_DC_FLUSH_NONE;
    CHECK_STATUS(cpaDcNsCompressData(inst, &sd, sl, cl, &none, &r, NULL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    ok("no-session refusals");

    /* No-session CnV error injection: recovered into stored blocks until
       reset. */
    CHECK_OK(icp_sal_ns_cnv_simulate_error(inst));
    CpaBufferList *half = one_buffer(src, LEN / 2);
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcNsCompressData(inst, &sd, half, cl, &op, &r, NULL, NULL));
    CHECK(r.status == CPA_DC_OK && r.produced == LEN / 2 + 5);
    CHECK_OK(icp_sal_ns_cnv_reset_error(inst));
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcNsCompressData(inst, &sd, half, cl, &op, &r, NULL, NULL));
    CHECK(r.status == CPA_DC_OK && r.produced < LEN / 4);
    ok("no-session CnV error injection");

    /* Auto-select-best threshold and ratio: UNSUPPORTED, as on gen4. */
    CpaDcSessionSetupData ss;
    ns_setup(&ss, CPA_DC_DIR_COMBINED, CPA_DC_CRC32);
    Cpa32U size = 0, ctx = 0;
    CHECK_OK(cpaDcGetSessionSize(inst, &ss, &size, &ctx));
    CpaDcSessionHandle sess = dma(size);
    REQUIRE_OK(cpaDcInitSession(inst, sess, &ss, NULL, NULL));
    CHECK_STATUS(cpaDcSetAsbThreshold(inst, sess, CPA_DC_ASB_THRESHOLD_4096),
                 CPA_STATUS_UNSUPPORTED);
    CHECK_STATUS(cpaDcSetAsbRatio(inst, sess, CPA_DC_ASB_RATIO_8_SIXTEENTH),
                 CPA_STATUS_UNSUPPORTED);
    CHECK_STATUS(cpaDcSetAsbThreshold(inst, sess, (CpaDcAsbThreshold)9),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcSetAsbRatio(inst, sess, (CpaDcAsbRatio)17), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcSetAsbRatio(inst, NULL, CPA_DC_ASB_RATIO_8_SIXTEENTH),
                 CPA_STATUS_INVALID_PARAM);
    ok("auto-select-best threshold and ratio");

    /* Data-plane session update: new level, then a request on it. */
    Cpa32U dsize = 0;
    CHECK_OK(cpaDcDpGetSessionSize(inst, &ss, &dsize));
    CpaDcSessionHandle dps = dma(dsize);
    REQUIRE_OK(cpaDcDpInitSession(inst, dps, &ss));
    CpaDcSessionUpdateData up = {.compLevel = CPA_DC_L9, .huffType = CPA_DC_HT_STATIC};
    CHECK_OK(cpaDcDpUpdateSession(inst, dps, &up));
    CHECK_STATUS(cpaDcDpUpdateSession(inst, sess, &up), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcDpUpdateSession(inst, dps, NULL), CPA_STATUS_INVALID_PARAM);
    CpaDcSessionUpdateData bad_up = {.compLevel = 0, .huffType = CPA_DC_HT_STATIC};
    CHECK_STATUS(cpaDcDpUpdateSession(inst, dps, &bad_up), CPA_STATUS_INVALID_PARAM);
    /* A request on the updated session. */
    REQUIRE_OK(cpaDcDpRegCbFunc(inst, dp_callback));
    CpaDcDpOpData *o = dma(sizeof(CpaDcDpOpData));
    Cpa8U *dpdst = dma(bound);
    o->bufferLenToCompress = LEN;
    o->bufferLenForData = bound;
    o->dcInstance = inst;
    o->pSessionHandle = dps;
    o->srcBuffer = qaeVirtToPhysNUMA(src);
    o->srcBufferLen = LEN;
    o->destBuffer = qaeVirtToPhysNUMA(dpdst);
    o->destBufferLen = bound;
    o->sessDirection = CPA_DC_DIR_COMPRESS;
    o->compressAndVerify = CPA_TRUE;
    o->thisPhys = qaeVirtToPhysNUMA(o);
    REQUIRE_OK(cpaDcDpEnqueueOp(o, CPA_TRUE));
    for (int spins = 0; dp_done < 1 && spins < 2000000; spins++)
        if (icp_sal_DcPollDpInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(5);
    CHECK(dp_done == 1);
    CHECK(o->responseStatus == CPA_STATUS_SUCCESS && o->results.status == CPA_DC_OK);
    CHECK(o->results.consumed == LEN && o->results.checksum == crc);
    CHECK_OK(cpaDcDpRemoveSession(inst, dps));
    CHECK_OK(cpaDcRemoveSession(inst, sess));
    ok("data-plane session update");

    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: a stateful deflate session (CPA_DC_STATEFUL) on a
   c6xx endpoint, as a QAT 1.x program uses it — the context buffer of
   cpaDcGetSessionSize's size, one stream compressed in pieces with every
   flush (overflows resubmitted from `consumed`), the same stream
   decompressed in odd-sized pieces into small buffers, cpaDcResetSession,
   one request in flight, and what a stateful session refuses.
   Usage: dc_stateful <output dir>. Writes in.bin, stream.bin (the raw
   deflate stream) and crc32.txt for the Rust side to check with flate2. */
#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_capabilities.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

#define LEN (200 * 1024)

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

/* Points a one-buffer list at `len` bytes from `data`. */
static void aim(CpaBufferList *l, Cpa8U *data, Cpa32U len)
{
    l->pBuffers[0].pData = data;
    l->pBuffers[0].dataLenInBytes = len;
}

static volatile int callbacks_done = 0;

static void callback(void *tag, CpaStatus status)
{
    (void)tag;
    CHECK(status == CPA_STATUS_SUCCESS);
    callbacks_done++;
}

int main(int argc, char **argv)
{
    const char *out = argc > 1 ? argv[1] : ".";
    REQUIRE_OK(icp_sal_userStart("STATEFUL"));
    Cpa16U n = 0;
    REQUIRE_OK(cpaDcGetNumInstances(&n));
    CHECK(n >= 1);
    REQUIRE_OK(cpaDcGetInstances(1, &inst));
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));

    CpaDcInstanceCapabilities caps;
    CHECK_OK(cpaDcQueryCapabilities(inst, &caps));
    CHECK(caps.statefulDeflateCompression == CPA_TRUE);
    CHECK(caps.statefulDeflateDecompression == CPA_TRUE);
    CpaDcCapabilityReq q = {CPA_DC_DEFLATE, CPA_DC_DIR_DECOMPRESS, CPA_DC_CAP_BOOL_STATEFUL};
    CpaDcCapabilityResp a;
    CHECK_OK(cpaDcQueryCapabilityByType(inst, q, &a));
    CHECK(a.boolStatus == CPA_TRUE);
    q.dir = CPA_DC_DIR_COMPRESS;
    CHECK_OK(cpaDcQueryCapabilityByType(inst, q, &a));
    CHECK(a.boolStatus == CPA_TRUE);
    q.algo = CPA_DC_LZ4;
    CHECK_OK(cpaDcQueryCapabilityByType(inst, q, &a));
    CHECK(a.boolStatus == CPA_FALSE);
    ok("capabilities");

    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L4;
    sd.compType = CPA_DC_DEFLATE;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd.autoSelectBestHuffmanTree = CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS;
    sd.sessDirection = CPA_DC_DIR_COMBINED;
    sd.sessState = CPA_DC_STATEFUL;
    sd.windowSize = CPA_DC_WINSIZE_32K;
    sd.checksum = CPA_DC_CRC32;
    Cpa32U size = 0, ctx = 0;
    REQUIRE_OK(cpaDcGetSessionSize(inst, &sd, &size, &ctx));
    /* c6xx: the inflate context (34 032) and the deflate one (65 536). */
    CHECK(ctx == 34032 + 65536);
    CpaDcSessionHandle sess = dma(size);
    Cpa8U *ctx_mem = dma(ctx);
    CpaBufferList *ctx_list = one_buffer(ctx_mem, ctx);
    CHECK_STATUS(cpaDcInitSession(inst, sess, &sd, NULL, NULL), CPA_STATUS_INVALID_PARAM);
    CpaBufferList *short_ctx = one_buffer(ctx_mem, ctx - 1);
    CHECK_STATUS(cpaDcInitSession(inst, sess, &sd, short_ctx, NULL),
                 CPA_STATUS_INVALID_PARAM);
    REQUIRE_OK(cpaDcInitSession(inst, sess, &sd, ctx_list, NULL));
    ok("session with a context buffer");

    Cpa8U *in = dma(LEN);
    fill_text(in, LEN, 7);
    Cpa8U *stream = dma(2 * LEN);
    Cpa8U *chunk = dma(LEN);
    CpaBufferList *src = one_buffer(in, 0);
    CpaBufferList *dst = one_buffer(chunk, 0);
    CpaDcRqResults r;
    CpaDcOpData op;
    memset(&op, 0, sizeof op);
    op.compressAndVerify = CPA_FALSE;

    /* Compress-and-verify is for stateless sessions. */
    aim(src, in, 100);
    aim(dst, chunk, 4096);
    CHECK_STATUS(cpaDcCompressData(inst, sess, src, dst, &r, CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_UNSUPPORTED);
    CpaDcOpData cnv = op;
    cnv.compressAndVerify = CPA_TRUE;
    CHECK_STATUS(cpaDcCompressData2(inst, sess, src, dst, &cnv, &r, NULL),
                 CPA_STATUS_UNSUPPORTED);

    /* One stream in pieces: every flush, destinations that overflow. */
    static const CpaDcFlush flushes[] = {CPA_DC_FLUSH_NONE, CPA_DC_FLUSH_SYNC,
                                         CPA_DC_FLUSH_NONE, CPA_DC_FLUSH_FULL};
    Cpa32U at = 0, produced = 0, piece_no = 0, overflows = 0;
    while (at < LEN) {
        Cpa32U piece = 1000 + (piece_no * 7919) % 30000;
        if (at + piece > LEN)
            piece = LEN - at;
        op.flushFlag = at + piece == LEN ? CPA_DC_FLUSH_FINAL : flushes[piece_no % 4];
        Cpa32U done = 0;
        while (done < piece) {
            Cpa32U room = piece_no % 3 == 2 ? 512 : piece + 1024;
            aim(src, in + at + done, piece - done);
            aim(dst, stream + produced, room);
            memset(&r, 0, sizeof r);
            REQUIRE_OK(cpaDcCompressData2(inst, sess, src, dst, &op, &r, NULL));
            CHECK(r.status == CPA_DC_OK || r.status == CPA_DC_OVERFLOW);
            CHECK(r.consumed > 0);
            if (r.status == CPA_DC_OVERFLOW)
                overflows++;
            produced += r.produced;
            done += r.consumed;
        }
        at += piece;
        piece_no++;
    }
    Cpa32U crc = r.checksum;
    CHECK(overflows > 0);
    CHECK(produced < LEN / 2);
    write_file(out, "in.bin", in, LEN);
    write_file(out, "stream.bin", stream, produced);
    char text[16];
    snprintf(text, sizeof text, "%08x\n", crc);
    write_file(out, "crc32.txt", text, strlen(text));
    ok("stateful compression");

    /* The stream back, in odd-sized pieces into small buffers. */
    /* Room to spare past LEN: a request always has somewhere to write. */
    Cpa8U *back = dma(LEN + 4096);
    Cpa32U got = 0;
    at = 0;
    int ended = 0;
    for (piece_no = 0; !ended && piece_no < 100000; piece_no++) {
        Cpa32U piece = 1 + (piece_no * 2741) % 4001;
        if (at + piece > produced)
            piece = produced - at;
        CpaDcFlush flush = at + piece == produced ? CPA_DC_FLUSH_FINAL : CPA_DC_FLUSH_NONE;
        Cpa32U room = got < LEN ? 3000 : 4096;
        aim(src, stream + at, piece);
        aim(dst, back + got, room);
        memset(&r, 0, sizeof r);
        REQUIRE_OK(cpaDcDecompressData(inst, sess, src, dst, &r, flush, NULL));
        CHECK(r.status == CPA_DC_OK || r.status == CPA_DC_OVERFLOW);
        if (r.status == CPA_DC_OK && !r.endOfLastBlock && flush == CPA_DC_FLUSH_NONE)
            /* c6xx takes an even number of bytes without FLUSH_FINAL. */
            CHECK(r.consumed == (piece & ~1u));
        at += r.consumed;
        got += r.produced;
        ended = r.endOfLastBlock == CPA_TRUE;
    }
    CHECK(ended);
    CHECK(got == LEN && memcmp(back, in, LEN) == 0);
    CHECK(r.checksum == crc);
    ok("stateful decompression");

    /* Reset mid-stream: the next request starts a new stream. */
    aim(src, stream, 777);
    aim(dst, back, LEN);
    CHECK_OK(cpaDcDecompressData(inst, sess, src, dst, &r, CPA_DC_FLUSH_NONE, NULL));
    CHECK_OK(cpaDcResetSession(inst, sess));
    aim(src, stream, produced);
    memset(back, 0, LEN);
    CHECK_OK(cpaDcDecompressData(inst, sess, src, dst, &r, CPA_DC_FLUSH_FINAL, NULL));
    CHECK(r.status == CPA_DC_OK && r.endOfLastBlock == CPA_TRUE && r.produced == LEN);
    CHECK(memcmp(back, in, LEN) == 0 && r.checksum == crc);
    CHECK_OK(cpaDcRemoveSession(inst, sess));
    ok("reset");

    /* Asynchronous: one request in flight, a second is RETRY. */
    sd.sessDirection = CPA_DC_DIR_DECOMPRESS;
    REQUIRE_OK(cpaDcGetSessionSize(inst, &sd, &size, &ctx));
    CHECK(ctx == 34032);
    CpaDcSessionHandle async = dma(size);
    REQUIRE_OK(cpaDcInitSession(inst, async, &sd, one_buffer(dma(ctx), ctx), callback));
    aim(src, stream, produced / 2);
    aim(dst, back, LEN);
    CpaDcRqResults r1, r2;
    CHECK_OK(cpaDcDecompressData(inst, async, src, dst, &r1, CPA_DC_FLUSH_NONE, (void *)1));
    CpaBufferList *src2 = one_buffer(stream + r1.consumed, 10);
    CpaBufferList *dst2 = one_buffer(chunk, 4096);
    CHECK_STATUS(cpaDcDecompressData(inst, async, src2, dst2, &r2, CPA_DC_FLUSH_NONE, (void *)2),
                 CPA_STATUS_RETRY);
    CHECK_STATUS(cpaDcResetSession(inst, async), CPA_STATUS_RETRY);
    for (int i = 0; callbacks_done < 1 && i < 1000000; i++)
        icp_sal_DcPollInstance(inst, 0);
    CHECK(callbacks_done == 1 && r1.status == CPA_DC_OK);
    CHECK_OK(cpaDcRemoveSession(inst, async));
    ok("one request in flight");

    /* LZ4 and the data plane are stateless only. */
    sd.compType = CPA_DC_LZ4;
    sd.checksum = CPA_DC_XXHASH32;
    CpaDcSessionHandle lz4 = dma(size);
    CHECK_STATUS(cpaDcInitSession(inst, lz4, &sd, ctx_list, NULL), CPA_STATUS_UNSUPPORTED);
    ok("refusals");

    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

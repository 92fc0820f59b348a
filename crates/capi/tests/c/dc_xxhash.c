/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: accumulateXXHash and cpaDcResetXXHashState on LZ4
   sessions, synchronous and with a callback. Usage: dc_xxhash <output dir>.
   Writes in.bin (the three pieces, concatenated) and sums.txt (one
   "<name> <checksum in hex>" line per request) for the Rust side to check
   against a streaming xxHash32. */
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

static CpaInstanceHandle inst;
static const Cpa32U lens[3] = {10000, 33, 20000};
static Cpa32U done = 0, bad = 0;

static void callback(void *tag, CpaStatus status)
{
    (void)tag;
    if (status != CPA_STATUS_SUCCESS)
        bad++;
    done++;
}

/* `data` of `len` bytes as a list of `n` buffers (1 or 2). */
static CpaBufferList *list(Cpa8U *data, Cpa32U len, Cpa32U n)
{
    CpaBufferList *l = dma(sizeof(CpaBufferList));
    l->numBuffers = n;
    l->pBuffers = dma(n * sizeof(CpaFlatBuffer));
    Cpa32U first = n == 1 ? len : len / 2;
    l->pBuffers[0].pData = data;
    l->pBuffers[0].dataLenInBytes = first;
    if (n == 2) {
        l->pBuffers[1].pData = data + first;
        l->pBuffers[1].dataLenInBytes = len - first;
    }
    Cpa32U meta = 0;
    CHECK_OK(cpaDcBufferListGetMetaSize(inst, n, &meta));
    l->pPrivateMetaData = dma(meta);
    return l;
}

static CpaDcSessionHandle session(CpaDcCompType type, CpaDcChecksum checksum,
                                  CpaBoolean accumulate, CpaDcCallbackFn cb)
{
    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L1;
    sd.compType = type;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd.autoSelectBestHuffmanTree = CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS;
    sd.sessDirection = CPA_DC_DIR_COMPRESS;
    sd.sessState = CPA_DC_STATELESS;
    sd.windowSize = CPA_DC_WINSIZE_32K;
    sd.checksum = checksum;
    sd.accumulateXXHash = accumulate;
    Cpa32U size = 0, ctx = 0;
    REQUIRE_OK(cpaDcGetSessionSize(inst, &sd, &size, &ctx));
    CpaDcSessionHandle s = dma(size);
    REQUIRE_OK(cpaDcInitSession(inst, s, &sd, NULL, cb));
    return s;
}

int main(int argc, char **argv)
{
    const char *outdir = argc > 1 ? argv[1] : ".";
    REQUIRE_OK(icp_sal_userStart("SSL"));
    REQUIRE_OK(cpaDcGetInstances(1, &inst));
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));

    Cpa8U *piece[3];
    Cpa8U *all = dma(lens[0] + lens[1] + lens[2]);
    Cpa32U at = 0;
    for (int i = 0; i < 3; i++) {
        piece[i] = all + at;
        fill_text(piece[i], lens[i], 11 + i);
        at += lens[i];
    }
    write_file(outdir, "in.bin", all, at);
    Cpa32U bound = 0;
    CHECK_OK(cpaDcLZ4CompressBound(inst, lens[2], &bound));
    Cpa8U *out = dma(bound);
    CpaBufferList *dst = list(out, bound, 1);
    CpaBufferList *src[3];
    for (int i = 0; i < 3; i++)
        src[i] = list(piece[i], lens[i], i == 2 ? 2 : 1);

    char sums[1024];
    size_t n = 0;
    CpaDcOpData op;
    memset(&op, 0, sizeof op);
    op.compressAndVerify = CPA_TRUE;
    op.compressAndVerifyAndRecover = CPA_TRUE;
    CpaDcRqResults r;

    /* Synchronous: the running hash, then a new stream after FINAL. */
    CpaDcSessionHandle s = session(CPA_DC_LZ4, CPA_DC_XXHASH32, CPA_TRUE, NULL);
    for (int stream = 0; stream < 2; stream++)
        for (int i = 0; i < 3; i++) {
            op.flushFlag = i == 2 ? CPA_DC_FLUSH_FINAL : CPA_DC_FLUSH_FULL;
            memset(&r, 0, sizeof r);
            CHECK_OK(cpaDcCompressData2(inst, s, src[i], dst, &op, &r, NULL));
            CHECK(r.status == CPA_DC_OK && r.consumed == lens[i]);
            n += snprintf(sums + n, sizeof sums - n, "sync%d_%d %08x\n", stream, i,
                          r.checksum);
        }
    /* Reset in the middle of a stream: piece 1 alone. */
    op.flushFlag = CPA_DC_FLUSH_FULL;
    CHECK_OK(cpaDcCompressData2(inst, s, src[0], dst, &op, &r, NULL));
    CHECK_OK(cpaDcResetXXHashState(inst, s));
    CHECK_OK(cpaDcCompressData2(inst, s, src[1], dst, &op, &r, NULL));
    n += snprintf(sums + n, sizeof sums - n, "reset %08x\n", r.checksum);
    CHECK_OK(cpaDcRemoveSession(inst, s));
    ok("accumulated xxHash, synchronous, and its reset");

    /* With a callback: one request at a time (each output buffer is reused). */
    s = session(CPA_DC_LZ4, CPA_DC_XXHASH32, CPA_TRUE, callback);
    for (int i = 0; i < 3; i++) {
        op.flushFlag = i == 2 ? CPA_DC_FLUSH_FINAL : CPA_DC_FLUSH_FULL;
        memset(&r, 0, sizeof r);
        CHECK_OK(cpaDcCompressData2(inst, s, src[i], dst, &op, &r, NULL));
        for (int spins = 0; done < (Cpa32U)i + 1 && spins < 2000000; spins++)
            if (icp_sal_DcPollInstance(inst, 0) == CPA_STATUS_RETRY)
                usleep(5);
        n += snprintf(sums + n, sizeof sums - n, "async_%d %08x\n", i, r.checksum);
    }
    CHECK(done == 3 && bad == 0);
    CHECK_OK(cpaDcRemoveSession(inst, s));
    ok("accumulated xxHash with a callback");

    /* Only a stateless LZ4 session with accumulateXXHash has a state. */
    s = session(CPA_DC_LZ4, CPA_DC_XXHASH32, CPA_FALSE, NULL);
    CHECK_STATUS(cpaDcResetXXHashState(inst, s), CPA_STATUS_UNSUPPORTED);
    op.flushFlag = CPA_DC_FLUSH_FULL;
    CHECK_OK(cpaDcCompressData2(inst, s, src[1], dst, &op, &r, NULL));
    n += snprintf(sums + n, sizeof sums - n, "plain %08x\n", r.checksum);
    CHECK_OK(cpaDcRemoveSession(inst, s));
    s = session(CPA_DC_DEFLATE, CPA_DC_CRC32, CPA_TRUE, NULL);
    CHECK_STATUS(cpaDcResetXXHashState(inst, s), CPA_STATUS_UNSUPPORTED);
    CHECK_OK(cpaDcRemoveSession(inst, s));
    ok("cpaDcResetXXHashState refusals");

    write_file(outdir, "sums.txt", sums, n);
    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

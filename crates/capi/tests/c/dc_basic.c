/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: the compression API as a qatlib program uses it —
   discovery, instance info, sessions in caller memory, synchronous and
   asynchronous requests on flat and multi-buffer lists, a poller thread
   beside synchronous calls, checksums carried across requests, headers and
   footers, statistics, and refused arguments.
   Usage: dc_basic <output dir>. Writes files the Rust side checks with
   independent decoders (flate2): in.bin, raw.bin (raw deflate of in.bin),
   stream.gz (header + data + footer), crc32.txt. */
#include <pthread.h>
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
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

/* A list over `data` cut into `n` uneven pieces. */
static CpaBufferList *pieces(Cpa8U *data, Cpa32U len, Cpa32U n)
{
    CpaBufferList *l = dma(sizeof(CpaBufferList));
    l->numBuffers = n;
    l->pBuffers = dma(n * sizeof(CpaFlatBuffer));
    Cpa32U at = 0;
    for (Cpa32U i = 0; i < n; i++) {
        Cpa32U part = (i + 1 == n) ? len - at : (len / n) + (i * 37) % 101;
        l->pBuffers[i].pData = data + at;
        l->pBuffers[i].dataLenInBytes = part;
        at += part;
    }
    Cpa32U meta = 0;
    CHECK_OK(cpaDcBufferListGetMetaSize(inst, n, &meta));
    l->pPrivateMetaData = dma(meta);
    return l;
}

static void setup_defaults(CpaDcSessionSetupData *sd)
{
    memset(sd, 0, sizeof *sd);
    sd->compLevel = CPA_DC_L1;
    sd->compType = CPA_DC_DEFLATE;
    sd->huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd->autoSelectBestHuffmanTree = CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS;
    sd->sessDirection = CPA_DC_DIR_COMBINED;
    sd->sessState = CPA_DC_STATELESS;
    sd->windowSize = CPA_DC_WINSIZE_32K;
    sd->checksum = CPA_DC_CRC32;
}

static CpaDcSessionHandle new_session(CpaDcSessionSetupData *sd, CpaDcCallbackFn cb)
{
    Cpa32U size = 0, ctx = 0;
    CHECK_OK(cpaDcGetSessionSize(inst, sd, &size, &ctx));
    CHECK(size > 0);
    CpaDcSessionHandle s = dma(size);
    REQUIRE_OK(cpaDcInitSession(inst, s, sd, NULL, cb));
    return s;
}

/* --- asynchronous requests --- */
static volatile int callbacks_done = 0;
static volatile int callback_errors = 0;

static void dc_callback(void *tag, CpaStatus status)
{
    if (status != CPA_STATUS_SUCCESS || tag == NULL)
        callback_errors++;
    callbacks_done++;
}

/* --- a poller thread, as the qatlib samples run one --- */
static volatile int stop_polling = 0;

static void *poller(void *arg)
{
    (void)arg;
    while (!stop_polling) {
        if (icp_sal_DcPollInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(10);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *out = argc > 1 ? argv[1] : ".";
    CHECK(icp_sal_userIsQatAvailable() == CPA_TRUE);
    REQUIRE_OK(icp_sal_userStart("SSL"));

    /* Discovery and instance information. */
    Cpa16U n = 0;
    REQUIRE_OK(cpaDcGetNumInstances(&n));
    CHECK(n >= 1);
    CpaInstanceHandle handles[64];
    REQUIRE_OK(cpaDcGetInstances(n, handles));
    inst = handles[0];
    Cpa16U n2 = 0;
    CHECK_OK(cpaGetNumInstances(CPA_ACC_SVC_TYPE_DATA_COMPRESSION, &n2));
    CHECK(n2 == n);
    CHECK_STATUS(cpaDcGetInstances(n + 1, handles), CPA_STATUS_INVALID_PARAM);
    CpaInstanceInfo2 info;
    memset(&info, 0xa5, sizeof info);
    CHECK_OK(cpaDcInstanceGetInfo2(inst, &info));
    CHECK(info.accelerationServiceType == CPA_ACC_SVC_TYPE_DATA_COMPRESSION);
    CHECK(info.isPolled == CPA_TRUE);
    CHECK(info.operState == CPA_OPER_STATE_DOWN);
    CHECK(strlen((char *)info.instID) > 0);
    CHECK(memchr(info.partName, 0, sizeof info.partName) != NULL);
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));
    CHECK_OK(cpaDcInstanceGetInfo2(inst, &info));
    CHECK(info.operState == CPA_OPER_STATE_UP);
    CHECK_OK(cpaDcSetAddressTranslation(inst, qaeVirtToPhysNUMA));
    Cpa16U nbufs = 99;
    CHECK_OK(cpaDcGetNumIntermediateBuffers(inst, &nbufs));
    CHECK(nbufs == 0);
    ok("discovery");

    /* Synchronous stateless deflate, flat buffers. */
    Cpa8U *src = dma(LEN);
    fill_text(src, LEN, 1);
    Cpa32U bound = 0;
    CHECK_OK(cpaDcDeflateCompressBound(inst, CPA_DC_HT_FULL_DYNAMIC, LEN, &bound));
    CHECK(bound >= LEN);
    Cpa8U *cmp = dma(bound);
    Cpa8U *back = dma(LEN);
    CpaDcSessionSetupData sd;
    setup_defaults(&sd);
    CpaDcSessionHandle sync = new_session(&sd, NULL);
    CpaBufferList *srcl = one_buffer(src, LEN);
    CpaBufferList *cmpl = one_buffer(cmp, bound);
    CpaBufferList *backl = one_buffer(back, LEN);
    CpaDcRqResults r;
    memset(&r, 0, sizeof r);
    REQUIRE_OK(cpaDcCompressData(inst, sync, srcl, cmpl, &r, CPA_DC_FLUSH_FINAL, NULL));
    CHECK(r.status == CPA_DC_OK);
    CHECK(r.consumed == LEN);
    CHECK(r.produced > 0 && r.produced < LEN / 2);
    Cpa32U produced = r.produced, crc = r.checksum;
    write_file(out, "in.bin", src, LEN);
    write_file(out, "raw.bin", cmp, produced);
    Cpa8U *first = dma(produced);
    memcpy(first, cmp, produced);
    char crctext[16];
    snprintf(crctext, sizeof crctext, "%08x", crc);
    write_file(out, "crc32.txt", crctext, 8);

    CpaDcRqResults d;
    memset(&d, 0, sizeof d);
    cmpl->pBuffers[0].dataLenInBytes = produced;
    REQUIRE_OK(cpaDcDecompressData(inst, sync, cmpl, backl, &d, CPA_DC_FLUSH_FINAL, NULL));
    CHECK(d.status == CPA_DC_OK);
    CHECK(d.produced == LEN && d.consumed == produced);
    CHECK(memcmp(src, back, LEN) == 0);
    CHECK(d.checksum == crc);
    ok("sync flat round trip");

    /* Overflow: a destination too small gets CPA_DC_OVERFLOW. */
    cmpl->pBuffers[0].dataLenInBytes = 100;
    memset(&r, 0, sizeof r);
    CpaStatus st = cpaDcCompressData(inst, sync, srcl, cmpl, &r, CPA_DC_FLUSH_FINAL, NULL);
    CHECK(st == CPA_STATUS_SUCCESS || st == CPA_STATUS_FAIL);
    CHECK(r.status == CPA_DC_OVERFLOW);
    cmpl->pBuffers[0].dataLenInBytes = bound;
    ok("overflow");

    /* Multi-buffer lists: 3 source pieces, 5 destination pieces. */
    CpaBufferList *src3 = pieces(src, LEN, 3);
    CpaBufferList *cmp5 = pieces(cmp, bound, 5);
    memset(&r, 0, sizeof r);
    memset(cmp, 0, bound);
    REQUIRE_OK(cpaDcCompressData(inst, sync, src3, cmp5, &r, CPA_DC_FLUSH_FINAL, NULL));
    if (r.status != CPA_DC_OK)
        fprintf(stderr, "multi-buffer compression: status %d\n", r.status);
    CHECK(r.status == CPA_DC_OK && r.consumed == LEN);
    CHECK(r.checksum == crc);
    Cpa32U produced_list = r.produced;
    CpaBufferList *cmp1 = one_buffer(cmp, produced_list);
    CpaBufferList *back4 = pieces(back, LEN, 4);
    memset(back, 0, LEN);
    memset(&d, 0, sizeof d);
    REQUIRE_OK(cpaDcDecompressData(inst, sync, cmp1, back4, &d, CPA_DC_FLUSH_FINAL, NULL));
    CHECK(d.status == CPA_DC_OK && d.produced == LEN);
    CHECK(memcmp(src, back, LEN) == 0);
    ok("multi-buffer lists");

    /* CompressData2 with op data, the checksum carried across two requests
       (FLUSH_FULL then FLUSH_FINAL), must equal the one-shot checksum. */
    CpaDcOpData op;
    memset(&op, 0, sizeof op);
    op.flushFlag = CPA_DC_FLUSH_FULL;
    op.compressAndVerify = CPA_TRUE;
    CpaBufferList *half1 = one_buffer(src, LEN / 2);
    CpaBufferList *half2 = one_buffer(src + LEN / 2, LEN / 2);
    memset(&r, 0, sizeof r);
    REQUIRE_OK(cpaDcCompressData2(inst, sync, half1, cmpl, &op, &r, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == LEN / 2);
    op.flushFlag = CPA_DC_FLUSH_FINAL;
    CpaDcRqResults r2;
    memset(&r2, 0, sizeof r2);
    r2.checksum = r.checksum;
    REQUIRE_OK(cpaDcCompressData2(inst, sync, half2, cmpl, &op, &r2, NULL));
    CHECK(r2.status == CPA_DC_OK);
    CHECK(r2.checksum == crc);
    ok("checksum across requests");

    /* A gzip stream: header, one request, footer. */
    Cpa8U *gz = dma(bound + 64);
    CpaFlatBuffer hdr = {.dataLenInBytes = 64, .pData = gz};
    Cpa32U hlen = 0;
    CHECK_OK(cpaDcResetSession(inst, sync));
    CHECK_OK(cpaDcGenerateHeader(sync, &hdr, &hlen));
    CHECK(hlen == 10 && gz[0] == 0x1f && gz[1] == 0x8b);
    CpaBufferList *gzbody = one_buffer(gz + hlen, bound);
    memset(&r, 0, sizeof r);
    REQUIRE_OK(cpaDcCompressData(inst, sync, srcl, gzbody, &r, CPA_DC_FLUSH_FINAL, NULL));
    CpaFlatBuffer foot = {.dataLenInBytes = 8, .pData = gz + hlen + r.produced};
    Cpa32U body = r.produced;
    CHECK_OK(cpaDcGenerateFooter(sync, &foot, &r));
    CHECK(r.produced == body + 8);
    write_file(out, "stream.gz", gz, hlen + r.produced);
    ok("gzip header and footer");

    /* Asynchronous requests, completed by icp_sal_DcPollInstance. */
    CpaDcSessionHandle as = new_session(&sd, dc_callback);
    enum { N = 16 };
    CpaDcRqResults ar[N];
    CpaBufferList *ad[N];
    for (int i = 0; i < N; i++) {
        ad[i] = one_buffer(dma(bound), bound);
        memset(&ar[i], 0, sizeof ar[i]);
        CpaStatus s;
        do {
            s = cpaDcCompressData(inst, as, srcl, ad[i], &ar[i], CPA_DC_FLUSH_FINAL,
                                  (void *)(long)(i + 1));
            if (s == CPA_STATUS_RETRY)
                icp_sal_DcPollInstance(inst, 0);
        } while (s == CPA_STATUS_RETRY);
        CHECK_OK(s);
    }
    for (int spins = 0; callbacks_done < N && spins < 1000000; spins++)
        if (icp_sal_DcPollInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(10);
    CHECK(callbacks_done == N);
    CHECK(callback_errors == 0);
    for (int i = 0; i < N; i++) {
        CHECK(ar[i].status == CPA_DC_OK);
        CHECK(ar[i].consumed == LEN);
        CHECK(ar[i].produced == produced);
        CHECK(ar[i].checksum == crc);
        /* Compression is deterministic: the same bytes as the sync call. */
        CHECK(memcmp(ad[i]->pBuffers[0].pData, first, produced) == 0);
    }
    CHECK_STATUS(icp_sal_DcPollInstance(inst, 0), CPA_STATUS_RETRY);
    ok("async callbacks from polling");

    /* Synchronous calls while another thread polls the instance. */
    pthread_t t;
    pthread_create(&t, NULL, poller, NULL);
    for (int i = 0; i < 50; i++) {
        memset(&r, 0, sizeof r);
        CHECK_OK(cpaDcCompressData(inst, sync, srcl, cmpl, &r, CPA_DC_FLUSH_FINAL, NULL));
        CHECK(r.status == CPA_DC_OK && r.produced == produced);
    }
    stop_polling = 1;
    pthread_join(t, NULL);
    ok("sync beside a poller thread");

    /* Statistics. */
    CpaDcStats stats;
    memset(&stats, 0, sizeof stats);
    CHECK_OK(cpaDcGetStats(inst, &stats));
    CHECK(stats.numCompRequests >= N + 50);
    CHECK(stats.numDecompRequests >= 2);
    CHECK(stats.numCompCompletedErrors >= 1); /* the overflow */
    ok("statistics");

    /* Refused arguments: never a crash. */
    CHECK_STATUS(cpaDcCompressData(inst, sync, NULL, cmpl, &r, CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcCompressData(inst, sync, srcl, cmpl, NULL, CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcCompressData(inst, sync, srcl, cmpl, &r, (CpaDcFlush)77, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcCompressData(inst, NULL, srcl, cmpl, &r, CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    Cpa8U junk[256];
    memset(junk, 0x5a, sizeof junk);
    CHECK_STATUS(cpaDcCompressData(inst, junk, srcl, cmpl, &r, CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcCompressData((CpaInstanceHandle)junk, sync, srcl, cmpl, &r,
                                   CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcGetStats((CpaInstanceHandle)junk, &stats), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcGetStats(inst, NULL), CPA_STATUS_INVALID_PARAM);
    CpaDcSessionSetupData bad = sd;
    bad.compType = (CpaDcCompType)42;
    Cpa32U size = 0, ctx = 0;
    CHECK_STATUS(cpaDcGetSessionSize(inst, &bad, &size, &ctx), CPA_STATUS_INVALID_PARAM);
    bad = sd;
    bad.compLevel = (CpaDcCompLvl)0;
    CHECK_STATUS(cpaDcInitSession(inst, junk, &bad, NULL, NULL), CPA_STATUS_INVALID_PARAM);
    bad = sd;
    bad.sessState = CPA_DC_STATEFUL;
    CHECK_STATUS(cpaDcInitSession(inst, junk, &bad, NULL, NULL), CPA_STATUS_UNSUPPORTED);
    CpaBufferList empty = {0};
    CHECK_STATUS(cpaDcCompressData(inst, sync, &empty, cmpl, &r, CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CpaBufferList nometa = *src3;
    nometa.pPrivateMetaData = NULL;
    CHECK_STATUS(cpaDcCompressData(inst, sync, &nometa, cmpl, &r, CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_INVALID_PARAM);
    /* A decompression of garbage is a CPA_DC status, not a crash. */
    memset(cmp, 0xff, 4096);
    CpaBufferList *garbage = one_buffer(cmp, 4096);
    memset(&d, 0, sizeof d);
    cpaDcDecompressData(inst, sync, garbage, backl, &d, CPA_DC_FLUSH_FINAL, NULL);
    CHECK(d.status < 0);
    ok("refused arguments");

    /* Teardown. */
    CHECK_OK(cpaDcRemoveSession(inst, sync));
    CHECK_STATUS(cpaDcRemoveSession(inst, sync), CPA_STATUS_INVALID_PARAM);
    CHECK_OK(cpaDcRemoveSession(inst, as));
    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    CHECK_STATUS(cpaDcGetStats(inst, &stats), CPA_STATUS_INVALID_PARAM);
    ok("teardown");
    return finish();
}

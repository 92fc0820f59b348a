/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: the compression data-plane API (op data in DMA
   memory, physical addresses from qaeVirtToPhysNUMA, flat buffers and
   CPA_DP_BUFLIST, single and batch enqueue, polling), the qae* address
   round trips, devices, error simulation and notification callbacks across
   a device reset. Linked with -lusdm first, so qae* calls go through
   libusdm.so.0 and must reach the pool libqat.so.4 uses. */
#include <pthread.h>
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_dp.h"
#include "cpa_dev.h"
#include "icp_sal.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"
#include "icp_sal_versions.h"

#define LEN 8192
#define N 16

static volatile int dp_done = 0;
static volatile int dp_bad = 0;

static void dp_callback(CpaDcDpOpData *op)
{
    if (op->responseStatus != CPA_STATUS_SUCCESS || op->results.status != CPA_DC_OK)
        dp_bad++;
    dp_done++;
}

static volatile int events[3];

static void notify(const CpaInstanceHandle h, void *tag, const CpaInstanceEvent e)
{
    (void)h;
    if (tag == (void *)0x5eed && (int)e >= 0 && (int)e < 3)
        events[e]++;
}

static void drain(CpaInstanceHandle inst, int want)
{
    for (int spins = 0; dp_done < want && spins < 2000000; spins++)
        if (icp_sal_DcPollDpInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(5);
}

int main(void)
{
    REQUIRE_OK(icp_sal_userStart("SSL"));
    CpaInstanceHandle inst;
    REQUIRE_OK(cpaDcGetInstances(1, &inst));
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));

    /* qae* address translation round trips. */
    Cpa8U *blk = dma(4096);
    CpaPhysicalAddr pa = qaeVirtToPhysNUMA(blk + 100);
    CHECK(pa != 0);
    CHECK(qaePhysToVirtNUMA(pa) == blk + 100);
    int on_stack = 0;
    CHECK(qaeVirtToPhysNUMA(&on_stack) == 0);
    void *freed = dma(64);
    qaeMemFreeNUMA(&freed);
    CHECK(freed == NULL);
    ok("qae address translation");

    /* Data-plane session and callback. */
    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L1;
    sd.compType = CPA_DC_DEFLATE;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd.autoSelectBestHuffmanTree = CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS;
    sd.sessDirection = CPA_DC_DIR_COMBINED;
    sd.sessState = CPA_DC_STATELESS;
    sd.windowSize = CPA_DC_WINSIZE_32K;
    sd.checksum = CPA_DC_ADLER32;
    Cpa32U ssize = 0;
    REQUIRE_OK(cpaDcDpGetSessionSize(inst, &sd, &ssize));
    CpaDcSessionHandle sess = dma(ssize);
    REQUIRE_OK(cpaDcDpInitSession(inst, sess, &sd));
    CpaDcDpOpData probe;
    memset(&probe, 0, sizeof probe);
    CHECK_STATUS(cpaDcDpEnqueueOp(&probe, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    REQUIRE_OK(cpaDcDpRegCbFunc(inst, dp_callback));
    CpaBoolean flag = CPA_TRUE;
    CHECK_OK(cpaDcDpIsPartReadSupported(inst, &flag));
    CHECK(flag == CPA_TRUE); /* the built-in endpoints are 4xxx (QAT 2.0) */

    Cpa8U *src = dma(LEN);
    fill_text(src, LEN, 7);
    Cpa32U bound = 0;
    CHECK_OK(cpaDcDeflateCompressBound(inst, CPA_DC_HT_FULL_DYNAMIC, LEN, &bound));
    CpaDcDpOpData *ops[N];
    Cpa8U *dst[N];
    for (int i = 0; i < N; i++) {
        ops[i] = dma(sizeof(CpaDcDpOpData));
        dst[i] = dma(bound);
        CpaDcDpOpData *o = ops[i];
        o->bufferLenToCompress = LEN;
        o->bufferLenForData = bound;
        o->dcInstance = inst;
        o->pSessionHandle = sess;
        o->srcBuffer = qaeVirtToPhysNUMA(src);
        o->srcBufferLen = LEN;
        o->destBuffer = qaeVirtToPhysNUMA(dst[i]);
        o->destBufferLen = bound;
        o->sessDirection = CPA_DC_DIR_COMPRESS;
        o->compressAndVerify = CPA_TRUE;
        o->thisPhys = qaeVirtToPhysNUMA(o);
        o->pCallbackTag = (void *)(long)i;
    }
    /* Half as one batch, half one by one (sent by the last). */
    REQUIRE_OK(cpaDcDpEnqueueOpBatch(N / 2, ops, CPA_TRUE));
    for (int i = N / 2; i < N; i++)
        REQUIRE_OK(cpaDcDpEnqueueOp(ops[i], i == N - 1 ? CPA_TRUE : CPA_FALSE));
    drain(inst, N);
    CHECK(dp_done == N && dp_bad == 0);
    Cpa32U produced = ops[0]->results.produced;
    for (int i = 0; i < N; i++) {
        CHECK(ops[i]->results.consumed == LEN);
        CHECK(ops[i]->results.produced == produced);
        CHECK(ops[i]->results.checksum == ops[0]->results.checksum);
        CHECK(memcmp(dst[i], dst[0], produced) == 0);
    }
    ok("data-plane compression, batch and single");

    /* Decompress into a CPA_DP_BUFLIST destination of three pieces. */
    Cpa8U *back = dma(LEN);
    CpaPhysBufferList *pl = dma(sizeof(CpaPhysBufferList) + 3 * sizeof(CpaPhysFlatBuffer));
    pl->numBuffers = 3;
    Cpa32U cuts[3] = {1000, 3000, LEN - 4000};
    Cpa32U at = 0;
    for (int i = 0; i < 3; i++) {
        pl->flatBuffers[i].dataLenInBytes = cuts[i];
        pl->flatBuffers[i].bufferPhysAddr = qaeVirtToPhysNUMA(back + at);
        at += cuts[i];
    }
    CpaDcDpOpData *d = dma(sizeof(CpaDcDpOpData));
    d->bufferLenToCompress = produced;
    d->bufferLenForData = LEN;
    d->dcInstance = inst;
    d->pSessionHandle = sess;
    d->srcBuffer = qaeVirtToPhysNUMA(dst[0]);
    d->srcBufferLen = produced;
    d->destBuffer = qaeVirtToPhysNUMA(pl);
    d->destBufferLen = CPA_DP_BUFLIST;
    d->sessDirection = CPA_DC_DIR_DECOMPRESS;
    d->thisPhys = qaeVirtToPhysNUMA(d);
    REQUIRE_OK(cpaDcDpEnqueueOp(d, CPA_TRUE));
    drain(inst, N + 1);
    CHECK(dp_done == N + 1 && dp_bad == 0);
    CHECK(d->results.produced == LEN);
    CHECK(memcmp(back, src, LEN) == 0);
    CHECK(d->results.checksum == ops[0]->results.checksum);
    ok("data-plane decompression into a physical buffer list");

    /* Refused data-plane requests. */
    CpaDcDpOpData bad = *ops[0];
    static Cpa8U not_dma[LEN];
    bad.srcBuffer = (CpaPhysicalAddr)(unsigned long)not_dma;
    CHECK_STATUS(cpaDcDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    bad = *ops[0];
    bad.sessDirection = CPA_DC_DIR_COMBINED;
    CHECK_STATUS(cpaDcDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    bad = *ops[0];
    bad.pSessionHandle = blk;
    CHECK_STATUS(cpaDcDpEnqueueOp(&bad, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcDpEnqueueOp(NULL, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcDpEnqueueOpWithPartRead(NULL, NULL, CPA_TRUE), CPA_STATUS_INVALID_PARAM);
    ok("refused data-plane requests");
    CHECK_OK(cpaDcDpRemoveSession(inst, sess));

    /* Devices and versions. */
    Cpa16U ndev = 0;
    CHECK_OK(cpaGetNumDevices(&ndev));
    CHECK(ndev >= 1);
    CpaDeviceInfo di;
    memset(&di, 0xa5, sizeof di);
    CHECK_OK(cpaGetDeviceInfo(0, &di));
    CHECK(di.dcEnabled == CPA_TRUE || di.cySymEnabled == CPA_TRUE);
    CHECK(di.deviceId != 0);
    CHECK_STATUS(cpaGetDeviceInfo(ndev, &di), CPA_STATUS_INVALID_PARAM);
    CpaInstanceInfo2 info;
    CHECK_OK(cpaDcInstanceGetInfo2(inst, &info));
    Cpa32U accel = info.physInstId.packageId;
    icp_sal_dev_version_info_t ver;
    memset(&ver, 0, sizeof ver);
    CHECK_OK(icp_sal_getDevVersionInfo(accel, &ver));
    CHECK(ver.softwareVersion[0] != 0);
    CHECK_OK(icp_sal_check_device(accel));
    /* A check sooner than the heartbeat period after the previous one is
       not counted and fails: wait a period (at most 500 ms) first. */
    CHECK_STATUS(icp_sal_check_device(accel), CPA_STATUS_FAIL);
    usleep(510 * 1000);
    CHECK_OK(icp_sal_check_all_devices());
    ok("devices");

    /* Error simulation: the next request fails with the status asked for. */
    CpaDcSessionHandle ts = dma(ssize < 64 ? 64 : ssize);
    sd.checksum = CPA_DC_CRC32;
    Cpa32U s2 = 0, c2 = 0;
    CHECK_OK(cpaDcGetSessionSize(inst, &sd, &s2, &c2));
    ts = dma(s2);
    REQUIRE_OK(cpaDcInitSession(inst, ts, &sd, NULL, NULL));
    CpaFlatBuffer fs = {LEN, src}, fd = {bound, dst[0]};
    CpaBufferList ls = {1, &fs, NULL, NULL}, ld = {1, &fd, NULL, NULL};
    Cpa64U before = icp_sal_get_dc_error(CPA_DC_FATALERR);
    CHECK_OK(icp_sal_dc_simulate_error(1, CPA_DC_FATALERR));
    CpaDcRqResults r;
    memset(&r, 0, sizeof r);
    cpaDcCompressData(inst, ts, &ls, &ld, &r, CPA_DC_FLUSH_FINAL, NULL);
    CHECK(r.status == CPA_DC_FATALERR);
    CHECK(icp_sal_get_dc_error(CPA_DC_FATALERR) == before + 1);
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcCompressData(inst, ts, &ls, &ld, &r, CPA_DC_FLUSH_FINAL, NULL));
    CHECK(r.status == CPA_DC_OK);
    CHECK_STATUS(icp_sal_dc_simulate_error(1, 99), CPA_STATUS_INVALID_PARAM);
    /* A compress-and-verify failure: without recovery the request reports
       CPA_DC_VERIFY_ERROR; with recovery it succeeds (stored data). */
    CpaDcOpData cnv;
    memset(&cnv, 0, sizeof cnv);
    cnv.flushFlag = CPA_DC_FLUSH_FINAL;
    cnv.compressAndVerify = CPA_TRUE;
    CHECK_OK(icp_sal_cnv_simulate_error(inst, ts));
    memset(&r, 0, sizeof r);
    cpaDcCompressData2(inst, ts, &ls, &ld, &cnv, &r, NULL);
    CHECK(r.status == CPA_DC_VERIFY_ERROR);
    cnv.compressAndVerifyAndRecover = CPA_TRUE;
    CHECK_OK(icp_sal_cnv_simulate_error(inst, ts));
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcCompressData2(inst, ts, &ls, &ld, &cnv, &r, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == LEN);
    CHECK_STATUS(icp_sal_cnv_simulate_error(inst, blk), CPA_STATUS_INVALID_PARAM);
    ok("error simulation");

    /* Notifications across a device reset. */
    CHECK_OK(cpaDcInstanceSetNotificationCb(inst, notify, (void *)0x5eed));
    CHECK_OK(icp_sal_reset_device(accel));
    for (int i = 0; i < 2000 && events[CPA_INSTANCE_EVENT_RESTARTED] == 0; i++) {
        icp_sal_poll_device_events();
        usleep(1000);
    }
    CHECK(events[CPA_INSTANCE_EVENT_RESTARTING] >= 1);
    CHECK(events[CPA_INSTANCE_EVENT_RESTARTED] >= 1);
    /* Working again after the reset. */
    CpaStatus st;
    int tries = 0;
    do {
        memset(&r, 0, sizeof r);
        st = cpaDcCompressData(inst, ts, &ls, &ld, &r, CPA_DC_FLUSH_FINAL, NULL);
        if (st != CPA_STATUS_SUCCESS)
            usleep(1000);
    } while (st != CPA_STATUS_SUCCESS && ++tries < 2000);
    CHECK_OK(st);
    CHECK(r.status == CPA_DC_OK);
    ok("notifications across a reset");

    CHECK_OK(cpaDcRemoveSession(inst, ts));
    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

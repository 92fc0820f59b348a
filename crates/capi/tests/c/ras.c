/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: heartbeat, fatal error and reset as a qatlib
   application meets them. A notification callback is registered; a
   simulated heartbeat failure makes icp_sal_check_device fail and the
   endpoint go to error (asynchronous requests in flight get their callbacks,
   the ones not yet processed with CPA_STATUS_FAIL, in submission order);
   FATAL_ERROR arrives through icp_sal_poll_device_events; the application
   resets the device, checks it until it is alive again (once per heartbeat
   period), sees RESTARTING and RESTARTED, and compresses with the same
   instance. Run with one engine thread and AutoResetOnError off. */
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

#define LEN (256 * 1024)
#define N 24

static CpaInstanceHandle inst;

/* The events in the order they came, and the callback's tag. */
static volatile int seq[64];
static volatile int nseq = 0;
static volatile int bad_tag = 0;

static void notify(const CpaInstanceHandle h, void *tag, const CpaInstanceEvent e)
{
    if (h != inst || tag != (void *)0xfeed)
        bad_tag++;
    if (nseq < 64)
        seq[nseq++] = (int)e;
}

static int seen(CpaInstanceEvent e)
{
    for (int i = 0; i < nseq; i++)
        if (seq[i] == (int)e)
            return 1;
    return 0;
}

/* Completion status of each asynchronous request, by tag. */
static volatile int done = 0;
static volatile CpaStatus status_of[N];

static void dc_callback(void *tag, CpaStatus status)
{
    long i = (long)tag;
    if (i >= 0 && i < N)
        status_of[i] = status;
    done++;
}

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

static CpaDcSessionHandle new_session(CpaDcSessionSetupData *sd, CpaDcCallbackFn cb)
{
    Cpa32U size = 0, ctx = 0;
    CHECK_OK(cpaDcGetSessionSize(inst, sd, &size, &ctx));
    CpaDcSessionHandle s = dma(size);
    REQUIRE_OK(cpaDcInitSession(inst, s, sd, NULL, cb));
    return s;
}

/* Polls device events (and the instance) until `e` came or 10 s passed. */
static void wait_event(CpaInstanceEvent e)
{
    for (int i = 0; i < 10000 && !seen(e); i++) {
        CHECK_OK(icp_sal_poll_device_events());
        icp_sal_DcPollInstance(inst, 0);
        usleep(1000);
    }
    CHECK(seen(e));
}

int main(void)
{
    REQUIRE_OK(icp_sal_userStart("RAS"));
    REQUIRE_OK(cpaDcGetInstances(1, &inst));
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));
    CpaInstanceInfo2 info;
    REQUIRE_OK(cpaDcInstanceGetInfo2(inst, &info));
    Cpa32U dev = info.physInstId.packageId;
    REQUIRE_OK(cpaDcInstanceSetNotificationCb(inst, notify, (void *)0xfeed));
    CHECK_OK(icp_sal_find_new_devices());

    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L9;
    sd.compType = CPA_DC_DEFLATE;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd.autoSelectBestHuffmanTree = CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS;
    sd.sessDirection = CPA_DC_DIR_COMBINED;
    sd.sessState = CPA_DC_STATELESS;
    sd.windowSize = CPA_DC_WINSIZE_32K;
    sd.checksum = CPA_DC_CRC32;
    CpaDcSessionHandle as = new_session(&sd, dc_callback);
    CpaDcSessionHandle ss = new_session(&sd, NULL);
    Cpa8U *src = dma(LEN);
    fill_text(src, LEN, 3);
    Cpa32U bound = 0;
    CHECK_OK(cpaDcDeflateCompressBound(inst, CPA_DC_HT_FULL_DYNAMIC, LEN, &bound));
    CpaBufferList *srcl = one_buffer(src, LEN);

    /* Requests in flight when the device fails: one engine thread cannot
       have computed them all by the time of the check. */
    CpaDcRqResults ar[N];
    for (int i = 0; i < N; i++) {
        status_of[i] = 99;
        memset(&ar[i], 0, sizeof ar[i]);
        REQUIRE_OK(cpaDcCompressData(inst, as, srcl, one_buffer(dma(bound), bound), &ar[i],
                                     CPA_DC_FLUSH_FINAL, (void *)(long)i));
    }

    /* The simulated failure: the next check fails the device. */
    CHECK_OK(icp_sal_heartbeat_simulate_failure(dev));
    CHECK_STATUS(icp_sal_check_device(dev), CPA_STATUS_FAIL);
    CHECK(nseq == 0); /* events wait for icp_sal_poll_device_events */
    wait_event(CPA_INSTANCE_EVENT_FATAL_ERROR);
    CHECK(nseq >= 1 && seq[0] == CPA_INSTANCE_EVENT_FATAL_ERROR);
    ok("heartbeat failure and FATAL_ERROR");

    /* Every request came back; those not processed with FAIL, after the
       ones computed (submission order). */
    for (int i = 0; i < 20000 && done < N; i++)
        if (icp_sal_DcPollInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(500);
    CHECK(done == N);
    int failed = 0;
    for (int i = 0; i < N; i++) {
        if (status_of[i] == CPA_STATUS_FAIL)
            failed++;
        else
            CHECK(status_of[i] == CPA_STATUS_SUCCESS && failed == 0);
    }
    CHECK(failed >= 1);
    /* New requests fail while the device is in error. */
    CpaDcRqResults r;
    memset(&r, 0, sizeof r);
    CpaBufferList *dstl = one_buffer(dma(bound), bound);
    CHECK_STATUS(cpaDcCompressData(inst, ss, srcl, dstl, &r, CPA_DC_FLUSH_FINAL, NULL),
                 CPA_STATUS_FAIL);
    CHECK_STATUS(icp_sal_check_device(dev), CPA_STATUS_FAIL);
    CHECK_STATUS(icp_sal_check_all_devices(), CPA_STATUS_FAIL);
    ok("requests in flight answered with FAIL");

    /* The reset is asynchronous; the checks say when it is alive again. */
    CHECK_OK(icp_sal_reset_device(dev));
    int alive = 0;
    for (int i = 0; i < 80 && !alive; i++) {
        usleep(250 * 1000);
        alive = icp_sal_check_device(dev) == CPA_STATUS_SUCCESS;
    }
    CHECK(alive);
    wait_event(CPA_INSTANCE_EVENT_RESTARTED);
    CHECK(nseq == 3);
    CHECK(seq[0] == CPA_INSTANCE_EVENT_FATAL_ERROR);
    CHECK(seq[1] == CPA_INSTANCE_EVENT_RESTARTING);
    CHECK(seq[2] == CPA_INSTANCE_EVENT_RESTARTED);
    CHECK(bad_tag == 0);
    ok("reset, RESTARTING and RESTARTED");

    /* The same instance works. */
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcCompressData(inst, ss, srcl, dstl, &r, CPA_DC_FLUSH_FINAL, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == LEN && r.produced > 0);
    usleep(250 * 1000);
    CHECK_OK(icp_sal_check_all_devices());
    ok("the same instance after the reset");

    CHECK_OK(cpaDcRemoveSession(inst, as));
    CHECK_OK(cpaDcRemoveSession(inst, ss));
    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

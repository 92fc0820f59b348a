/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: epoll mode (Programmer's Guide: an instance with
   Dc<N>IsPolled = 2 hands out a file descriptor that becomes readable when
   responses wait). Run with SOFTQAT_CONFIG_DIR naming a configuration whose
   [EPOLL] section has Dc0 in epoll mode and Dc1 polled. */
#include <sys/epoll.h>
#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

static volatile int done = 0;

static void cb(void *tag, CpaStatus status)
{
    if (status == CPA_STATUS_SUCCESS && tag == (void *)0x77)
        done++;
}

int main(void)
{
    REQUIRE_OK(icp_sal_userStart("EPOLL"));
    Cpa16U n = 0;
    REQUIRE_OK(cpaDcGetNumInstances(&n));
    CHECK(n == 2);
    CpaInstanceHandle inst[2];
    REQUIRE_OK(cpaDcGetInstances(2, inst));
    int fd = -1;
    REQUIRE_OK(icp_sal_DcGetFileDescriptor(inst[0], &fd));
    CHECK(fd >= 0);
    int fd1 = -1;
    CHECK_STATUS(icp_sal_DcGetFileDescriptor(inst[1], &fd1), CPA_STATUS_UNSUPPORTED);
    REQUIRE_OK(cpaDcStartInstance(inst[0], 0, NULL));

    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L1;
    sd.compType = CPA_DC_DEFLATE;
    sd.huffType = CPA_DC_HT_STATIC;
    sd.sessDirection = CPA_DC_DIR_COMBINED;
    sd.sessState = CPA_DC_STATELESS;
    sd.windowSize = CPA_DC_WINSIZE_32K;
    sd.checksum = CPA_DC_CRC32;
    Cpa32U ss = 0, cs = 0;
    REQUIRE_OK(cpaDcGetSessionSize(inst[0], &sd, &ss, &cs));
    CpaDcSessionHandle s = dma(ss);
    REQUIRE_OK(cpaDcInitSession(inst[0], s, &sd, NULL, cb));

    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0);
    /* Nothing submitted: the descriptor is not readable. */
    struct epoll_event got;
    CHECK(epoll_wait(ep, &got, 1, 20) == 0);

    Cpa8U *src = dma(4096), *dst = dma(8192);
    fill_text(src, 4096, 3);
    CpaFlatBuffer fs = {4096, src}, fd_ = {8192, dst};
    CpaBufferList ls = {1, &fs, NULL, NULL}, ld = {1, &fd_, NULL, NULL};
    CpaDcRqResults r;
    memset(&r, 0, sizeof r);
    REQUIRE_OK(cpaDcCompressData(inst[0], s, &ls, &ld, &r, CPA_DC_FLUSH_FINAL, (void *)0x77));
    /* The response makes it readable; polling consumes it. */
    int woke = epoll_wait(ep, &got, 1, 5000);
    CHECK(woke == 1);
    while (done == 0)
        icp_sal_DcPollInstance(inst[0], 0);
    CHECK(r.status == CPA_DC_OK && r.consumed == 4096);
    CHECK(epoll_wait(ep, &got, 1, 20) == 0);
    ok("epoll wakes on a response");

    close(ep);
    CHECK_OK(icp_sal_DcPutFileDescriptor(inst[0], fd));
    CHECK_OK(cpaDcRemoveSession(inst[0], s));
    CHECK_OK(cpaDcStopInstance(inst[0]));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

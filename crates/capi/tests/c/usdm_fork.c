/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: qaeAtFork. DMA slabs are shared memory, so after
   fork() a child allocating from the parent's slabs would get bytes the
   parent also hands out. A child that calls qaeAtFork gets memory of its
   own; one that does not gets the parent's next free unit (shown, so the
   check can fail). */
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* Forks; the child allocates 64 bytes (after qaeAtFork if asked) and
   sends the address back. */
static void *child_alloc(int at_fork)
{
    int fds[2];
    if (pipe(fds) != 0)
        exit(2);
    pid_t pid = fork();
    if (pid == 0) {
        if (at_fork)
            qaeAtFork();
        void *p = qaeMemAllocNUMA(64, 0, 64);
        memset(p, 0x77, 64);
        if (write(fds[1], &p, sizeof p) != sizeof p)
            _exit(2);
        _exit(0);
    }
    void *got = NULL;
    if (read(fds[0], &got, sizeof got) != sizeof got)
        exit(2);
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(fds[0]);
    close(fds[1]);
    return got;
}

int main(void)
{
    Cpa8U *a = dma(64);
    memset(a, 0x11, 64);
    /* Without qaeAtFork the child's memory comes from the shared slab. */
    Cpa8U *shared = child_alloc(0);
    CHECK(shared == a + 64);
    ok("without qaeAtFork the child allocates from the parent's slab");
    /* With it, from a slab of its own. */
    Cpa8U *own = child_alloc(1);
    CHECK(own != a + 64);
    CHECK(qaeVirtToPhysNUMA(own) == 0); /* not one of the parent's allocations */
    Cpa8U *next = dma(64);
    CHECK(next == a + 64);
    for (int i = 0; i < 64; i++)
        CHECK(next[i] == 0);
    ok("qaeAtFork gives the child memory of its own");
    return finish();
}

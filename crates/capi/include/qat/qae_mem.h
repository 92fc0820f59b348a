/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: usdm memory API (libusdm.so.0): DMA-able allocations and
   virtual/IO address translation. In softqat the "physical" address is an
   IO address registered with softqat's device model, not a CPU physical
   address. API facts from qatlib 26.08's public headers; written for
   softqat. */

#ifndef QAE_MEM_H_
#define QAE_MEM_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Marks deprecated usdm functions; expands to nothing, as in qatlib. */
#define QAE_DEPRECATED

#include <stdint.h>
#include <stddef.h>

/* Plain (not DMA-able) allocation of memsize bytes. */
void *qaeMemAlloc(size_t memsize);

/* Free memory from qaeMemAlloc and set *ptr to NULL. */
void qaeMemFree(void **ptr);

/* DMA-able, physically contiguous allocation on NUMA node `node`,
   aligned to phys_alignment_byte (a power of two). */
void *qaeMemAllocNUMA(size_t size, int node, size_t phys_alignment_byte);

/* Zero and free memory from qaeMemAllocNUMA; sets *ptr to NULL. */
void qaeMemFreeNUMA(void **ptr);

/* Free memory from qaeMemAllocNUMA without zeroing it. */
void qaeMemFreeNonZeroNUMA(void **ptr);

/* IO address of a virtual address inside a DMA-able region (0 if none). */
uint64_t qaeVirtToPhysNUMA(void *pVirtAddr);

/* Virtual address of an IO address from qaeVirtToPhysNUMA (NULL if none). */
void *qaePhysToVirtNUMA(uint64_t physAddress);

/* Register a vfio device fd for DMA mappings (0 on success). */
int qaeRegisterDevice(int fd);

/* Unregister a vfio device fd (0 on success). */
int qaeUnregisterDevice(int fd);

/* Map caller memory [virt, virt+size) at a contiguous IO address and
   return it (0 on failure). */
uint64_t qaeMemMapContiguousIova(void *virt, size_t size);

/* Undo qaeMemMapContiguousIova (0 on success, 1 on failure). */
int qaeMemUnmapContiguousIova(void *virt, size_t size);

/* NUMA node value meaning "any node". */
#define NUMA_ANY_NODE (-1)

/* Call in a forked child before using usdm memory there. */
void qaeAtFork(void);

/* Deprecated no-op kept for compatibility; returns 0. */
QAE_DEPRECATED int32_t qaeMemInit(void);

/* Deprecated no-op kept for compatibility. */
QAE_DEPRECATED void qaeMemDestroy(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QAE_MEM_H_ */

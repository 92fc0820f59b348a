/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI benchmark program, run by `softqat bench capi`: the same
   workload as the Rust-API side of that benchmark, through libqat.so.4 as a
   qatlib program drives it — asynchronous requests with callbacks, DEPTH in
   flight, one thread submitting and spin-polling the instance.

   capi_bench deflate <input file> <seconds> <depth>   (deflate L1, dynamic)
   capi_bench gcm <size> <seconds> <depth>             (AES-128-GCM encrypt)
   Prints: "requests <n> bytes <n> seconds <s>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpa.h"
#include "cpa_dc.h"
#include "cpa_cy_im.h"
#include "cpa_cy_sym.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"
#include "qae_mem.h"

#define MAX_DEPTH 256

static int free_slots[MAX_DEPTH];
static int nfree = 0;
static unsigned long long done_requests = 0, done_bytes = 0, failures = 0;
static Cpa32U unit_bytes = 0;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *dma(size_t n)
{
    void *p = qaeMemAllocNUMA(n, 0, 64);
    if (!p) {
        fprintf(stderr, "qaeMemAllocNUMA(%zu) failed\n", n);
        exit(2);
    }
    return p;
}

static void die(const char *what, CpaStatus s)
{
    fprintf(stderr, "%s failed: %d\n", what, (int)s);
    exit(2);
}

/* ---- compression ---- */
static CpaDcRqResults dc_results[MAX_DEPTH];

static void dc_cb(void *tag, CpaStatus status)
{
    int i = (int)(long)tag;
    if (status == CPA_STATUS_SUCCESS && dc_results[i].status == CPA_DC_OK &&
        dc_results[i].consumed == unit_bytes) {
        done_requests++;
        done_bytes += unit_bytes;
    } else {
        failures++;
    }
    free_slots[nfree++] = i;
}

static int run_deflate(const char *path, double seconds, int depth)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    Cpa8U *src = dma(len);
    if (fread(src, 1, len, f) != (size_t)len)
        return 2;
    fclose(f);
    unit_bytes = (Cpa32U)len;

    CpaInstanceHandle inst;
    CpaStatus s = cpaDcGetInstances(1, &inst);
    if (s) die("cpaDcGetInstances", s);
    if ((s = cpaDcStartInstance(inst, 0, NULL))) die("cpaDcStartInstance", s);
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
    Cpa32U ss = 0, cs = 0, bound = 0;
    if ((s = cpaDcGetSessionSize(inst, &sd, &ss, &cs))) die("cpaDcGetSessionSize", s);
    CpaDcSessionHandle sess = dma(ss);
    if ((s = cpaDcInitSession(inst, sess, &sd, NULL, dc_cb))) die("cpaDcInitSession", s);
    if ((s = cpaDcDeflateCompressBound(inst, CPA_DC_HT_FULL_DYNAMIC, len, &bound)))
        die("cpaDcDeflateCompressBound", s);

    CpaFlatBuffer *fsrc = dma(sizeof(CpaFlatBuffer)), *fdst = dma(depth * sizeof(CpaFlatBuffer));
    CpaBufferList *lsrc = dma(sizeof(CpaBufferList)), *ldst = dma(depth * sizeof(CpaBufferList));
    fsrc->pData = src;
    fsrc->dataLenInBytes = len;
    lsrc->numBuffers = 1;
    lsrc->pBuffers = fsrc;
    for (int i = 0; i < depth; i++) {
        fdst[i].pData = dma(bound);
        fdst[i].dataLenInBytes = bound;
        ldst[i].numBuffers = 1;
        ldst[i].pBuffers = &fdst[i];
        free_slots[nfree++] = i;
    }
    double end = now() + seconds, start = now();
    for (;;) {
        int running = now() < end;
        while (running && nfree > 0) {
            int i = free_slots[--nfree];
            memset(&dc_results[i], 0, sizeof dc_results[i]);
            s = cpaDcCompressData(inst, sess, lsrc, &ldst[i], &dc_results[i],
                                  CPA_DC_FLUSH_FINAL, (void *)(long)i);
            if (s == CPA_STATUS_RETRY) {
                free_slots[nfree++] = i;
                break;
            }
            if (s) die("cpaDcCompressData", s);
        }
        icp_sal_DcPollInstance(inst, 0);
        if (!running && nfree == depth)
            break;
    }
    double took = now() - start;
    printf("requests %llu bytes %llu seconds %.6f\n", done_requests, done_bytes, took);
    cpaDcRemoveSession(inst, sess);
    cpaDcStopInstance(inst);
    return failures ? 1 : 0;
}

/* ---- AES-128-GCM ---- */
static void sym_cb(void *tag, CpaStatus status, const CpaCySymOp op, void *opData,
                   CpaBufferList *dst, CpaBoolean verify)
{
    (void)op;
    (void)opData;
    (void)dst;
    (void)verify;
    int i = (int)(long)tag;
    if (status == CPA_STATUS_SUCCESS) {
        done_requests++;
        done_bytes += unit_bytes;
    } else {
        failures++;
    }
    free_slots[nfree++] = i;
}

static int run_gcm(Cpa32U size, double seconds, int depth)
{
    unit_bytes = size;
    CpaInstanceHandle inst;
    CpaStatus s = cpaCyGetInstances(1, &inst);
    if (s) die("cpaCyGetInstances", s);
    if ((s = cpaCyStartInstance(inst))) die("cpaCyStartInstance", s);
    static Cpa8U key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                            0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
    CpaCySymSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.sessionPriority = CPA_CY_PRIORITY_NORMAL;
    sd.symOperation = CPA_CY_SYM_OP_ALGORITHM_CHAINING;
    sd.cipherSetupData.cipherAlgorithm = CPA_CY_SYM_CIPHER_AES_GCM;
    sd.cipherSetupData.pCipherKey = key;
    sd.cipherSetupData.cipherKeyLenInBytes = 16;
    sd.cipherSetupData.cipherDirection = CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT;
    sd.hashSetupData.hashAlgorithm = CPA_CY_SYM_HASH_AES_GCM;
    sd.hashSetupData.hashMode = CPA_CY_SYM_HASH_MODE_AUTH;
    sd.hashSetupData.digestResultLenInBytes = 16;
    sd.hashSetupData.authModeSetupData.aadLenInBytes = 0;
    sd.algChainOrder = CPA_CY_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH;
    sd.digestIsAppended = CPA_TRUE;
    Cpa32U ss = 0;
    if ((s = cpaCySymSessionCtxGetSize(inst, &sd, &ss))) die("cpaCySymSessionCtxGetSize", s);
    CpaCySymSessionCtx ctx = dma(ss);
    if ((s = cpaCySymInitSession(inst, sym_cb, &sd, ctx))) die("cpaCySymInitSession", s);
    Cpa32U meta = 0;
    if ((s = cpaCyBufferListGetMetaSize(inst, 1, &meta))) die("cpaCyBufferListGetMetaSize", s);

    CpaCySymOpData *ops = dma(depth * sizeof(CpaCySymOpData));
    CpaBufferList *lists = dma(depth * sizeof(CpaBufferList));
    CpaFlatBuffer *flats = dma(depth * sizeof(CpaFlatBuffer));
    Cpa8U *ivs = dma(depth * 16), *aad = dma(64);
    for (int i = 0; i < depth; i++) {
        flats[i].pData = dma(size + 16);
        memset(flats[i].pData, 7, size + 16);
        flats[i].dataLenInBytes = size + 16;
        lists[i].numBuffers = 1;
        lists[i].pBuffers = &flats[i];
        lists[i].pPrivateMetaData = dma(meta);
        memset(ivs + 16 * i, 0xca, 12);
        ops[i].sessionCtx = ctx;
        ops[i].packetType = CPA_CY_SYM_PACKET_TYPE_FULL;
        ops[i].pIv = ivs + 16 * i;
        ops[i].ivLenInBytes = 12;
        ops[i].cryptoStartSrcOffsetInBytes = 0;
        ops[i].messageLenToCipherInBytes = size;
        ops[i].hashStartSrcOffsetInBytes = 0;
        ops[i].messageLenToHashInBytes = size;
        ops[i].pAdditionalAuthData = aad;
        free_slots[nfree++] = i;
    }
    double end = now() + seconds, start = now();
    for (;;) {
        int running = now() < end;
        while (running && nfree > 0) {
            int i = free_slots[--nfree];
            s = cpaCySymPerformOp(inst, (void *)(long)i, &ops[i], &lists[i], &lists[i], NULL);
            if (s == CPA_STATUS_RETRY) {
                free_slots[nfree++] = i;
                break;
            }
            if (s) die("cpaCySymPerformOp", s);
        }
        icp_sal_CyPollInstance(inst, 0);
        if (!running && nfree == depth)
            break;
    }
    double took = now() - start;
    printf("requests %llu bytes %llu seconds %.6f\n", done_requests, done_bytes, took);
    cpaCySymRemoveSession(inst, ctx);
    cpaCyStopInstance(inst);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s deflate <file> <seconds> <depth> | gcm <size> <seconds> <depth>\n",
                argv[0]);
        return 2;
    }
    double seconds = atof(argv[3]);
    int depth = atoi(argv[4]);
    if (depth < 1 || depth > MAX_DEPTH)
        return 2;
    CpaStatus s = icp_sal_userStart("SSL");
    if (s) die("icp_sal_userStart", s);
    int rc;
    if (strcmp(argv[1], "deflate") == 0)
        rc = run_deflate(argv[2], seconds, depth);
    else if (strcmp(argv[1], "gcm") == 0)
        rc = run_gcm((Cpa32U)atoi(argv[2]), seconds, depth);
    else
        rc = 2;
    icp_sal_userStop();
    return rc;
}

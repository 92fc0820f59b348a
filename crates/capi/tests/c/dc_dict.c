/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: the flow of qatlib's dc_stateless_sample_dict on a
   6xxx (gen6) endpoint — capability query, cpaDcGetMetaSizeForSrcBuffWithDict,
   cpaDcCompressDataWithDict with compress-and-verify, then
   cpaDcDecompressDataWithDict with the same op data, asynchronously with a
   callback as the sample does; then the same synchronously, with a
   dictionary in two buffers, and the refusals. Run with SOFTQAT_CONFIG_DIR
   naming a configuration whose [DICT] section has one polled Dc instance on
   a 6xxx endpoint. Writes dict.bin, in.bin and raw.bin into the directory
   given as argument for the Rust side to decode with zlib. */
#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_capabilities.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

static volatile int done = 0;
static volatile CpaStatus cb_status = CPA_STATUS_FAIL;

static void cb(void *tag, CpaStatus status)
{
    if (tag == (void *)0xd1c7) {
        cb_status = status;
        done++;
    }
}

static void wait_for(CpaInstanceHandle inst, int n)
{
    for (int i = 0; i < 2000000 && done < n; i++)
        icp_sal_DcPollInstance(inst, 0);
    CHECK(done == n);
}

static void save(const char *dir, const char *name, const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(p, 1, n, f) == n);
        fclose(f);
    }
}

/* A one-buffer list over `p`, its metadata of `meta` bytes. */
static CpaBufferList *one(Cpa8U *p, Cpa32U n, Cpa32U meta)
{
    CpaBufferList *l = dma(sizeof(CpaBufferList) + sizeof(CpaFlatBuffer));
    CpaFlatBuffer *f = (CpaFlatBuffer *)(l + 1);
    f->dataLenInBytes = n;
    f->pData = p;
    l->pBuffers = f;
    l->numBuffers = 1;
    l->pPrivateMetaData = dma(meta);
    return l;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: dc_dict <outdir>\n");
        return 2;
    }
    REQUIRE_OK(icp_sal_userStart("DICT"));
    CpaInstanceHandle inst;
    Cpa16U n = 0;
    REQUIRE_OK(cpaDcGetNumInstances(&n));
    CHECK(n == 1);
    REQUIRE_OK(cpaDcGetInstances(1, &inst));

    if (argc > 2 && strcmp(argv[2], "nodict") == 0) {
        /* A class without dictionaries (4xxx, c6xx): the capability is
           FALSE and the calls answer UNSUPPORTED. */
        CpaDcCapabilityReq q = {CPA_DC_DEFLATE, CPA_DC_DIR_COMPRESS,
                                CPA_DC_CAP_BOOL_UNCOMPRESSED_DICT};
        CpaDcCapabilityResp a;
        REQUIRE_OK(cpaDcQueryCapabilityByType(inst, q, &a));
        CHECK(a.boolStatus == CPA_FALSE);
        Cpa32U m = 0;
        CHECK_STATUS(cpaDcGetMetaSizeForSrcBuffWithDict(inst, 1, 1, &m),
                     CPA_STATUS_UNSUPPORTED);
        REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));
        CpaDcSessionSetupData d;
        memset(&d, 0, sizeof d);
        d.compLevel = CPA_DC_L1;
        d.compType = CPA_DC_DEFLATE;
        d.huffType = CPA_DC_HT_FULL_DYNAMIC;
        d.sessDirection = CPA_DC_DIR_COMBINED;
        d.sessState = CPA_DC_STATELESS;
        d.windowSize = CPA_DC_WINSIZE_32K;
        d.checksum = CPA_DC_CRC32;
        Cpa32U ss = 0, cs = 0;
        REQUIRE_OK(cpaDcGetSessionSize(inst, &d, &ss, &cs));
        CpaDcSessionHandle s = dma(ss);
        REQUIRE_OK(cpaDcInitSession(inst, s, &d, NULL, NULL));
        Cpa8U *p = dma(4096);
        fill_text(p, 4096, 1);
        CpaBufferList *l = one(p, 1024, 64), *o = one(p + 2048, 2048, 64);
        CpaBufferList *dl = one(p + 1024, 1024, 64);
        CpaDcDictionaryData dd;
        memset(&dd, 0, sizeof dd);
        dd.pDictionaryBuff = dl;
        CpaDcOpData op;
        memset(&op, 0, sizeof op);
        op.compressAndVerify = CPA_TRUE;
        op.flushFlag = CPA_DC_FLUSH_FINAL;
        CpaDcRqResults r;
        memset(&r, 0, sizeof r);
        CHECK_STATUS(cpaDcCompressDataWithDict(inst, s, l, o, &dd, &op, &r, NULL),
                     CPA_STATUS_UNSUPPORTED);
        CHECK_STATUS(cpaDcDecompressDataWithDict(inst, s, l, o, &dd, &op, &r, NULL),
                     CPA_STATUS_UNSUPPORTED);
        CHECK_OK(cpaDcRemoveSession(inst, s));
        CHECK_OK(cpaDcStopInstance(inst));
        CHECK_OK(icp_sal_userStop());
        ok("no dictionaries on this class");
        return finish();
    }

    /* The sample asks for uncompressed dictionaries with deflate. */
    CpaDcCapabilityReq req = {CPA_DC_DEFLATE, CPA_DC_DIR_COMPRESS,
                              CPA_DC_CAP_BOOL_UNCOMPRESSED_DICT};
    CpaDcCapabilityResp resp;
    REQUIRE_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_TRUE);
    req.dir = CPA_DC_DIR_DECOMPRESS;
    REQUIRE_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_TRUE);
    req.capId = CPA_DC_CAP_BOOL_COMPRESSED_DICT;
    REQUIRE_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_FALSE);
    req.algo = CPA_DC_LZ4;
    req.capId = CPA_DC_CAP_BOOL_UNCOMPRESSED_DICT;
    REQUIRE_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_FALSE);
    ok("dictionary capabilities");

    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));

    /* The sample's session. */
    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L1;
    sd.compType = CPA_DC_DEFLATE;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd.autoSelectBestHuffmanTree = CPA_DC_ASB_DISABLED;
    sd.sessDirection = CPA_DC_DIR_COMBINED;
    sd.sessState = CPA_DC_STATELESS;
    sd.windowSize = CPA_DC_WINSIZE_64K;
    sd.checksum = CPA_DC_CRC32;
    Cpa32U ss = 0, cs = 0;
    REQUIRE_OK(cpaDcGetSessionSize(inst, &sd, &ss, &cs));
    CpaDcSessionHandle s = dma(ss);
    REQUIRE_OK(cpaDcInitSession(inst, s, &sd, NULL, cb));

    /* A dictionary of text and an input that repeats much of it. */
    enum { DICT = 16384, IN = 20000 };
    Cpa8U *dict = dma(DICT), *src = dma(IN), *dst = dma(2 * IN + 1024),
          *back = dma(IN);
    fill_text(dict, DICT, 11);
    for (int i = 0; i < IN; i++)
        src[i] = dict[(i + 1234) % DICT];
    for (int i = 0; i < IN; i += 4000)
        fill_text(src + i, 300, (unsigned)i);

    Cpa32U meta_src = 0, meta_dst = 0;
    REQUIRE_OK(cpaDcGetMetaSizeForSrcBuffWithDict(inst, 1, 1, &meta_src));
    REQUIRE_OK(cpaDcBufferListGetMetaSize(inst, 1, &meta_dst));
    CHECK(meta_src >= meta_dst);
    CHECK_STATUS(cpaDcGetMetaSizeForSrcBuffWithDict(inst, 0, 1, &meta_src),
                 CPA_STATUS_INVALID_PARAM);
    CpaBufferList *dl = one(dict, DICT, meta_src);
    CpaBufferList *sl = one(src, IN, meta_src);
    CpaBufferList *ol = one(dst, 2 * IN + 1024, meta_dst);

    CpaDcDictionaryData dd;
    memset(&dd, 0, sizeof dd);
    dd.pDictionaryBuff = dl;
    dd.dictionaryType = CPA_DC_UNCOMPRESSED_DICT;

    CpaCrcData crc;
    memset(&crc, 0, sizeof crc);
    CpaDcOpData op;
    memset(&op, 0, sizeof op);
    op.compressAndVerify = CPA_TRUE;
    op.flushFlag = CPA_DC_FLUSH_FINAL;
    op.pCrcData = &crc;

    CpaDcRqResults rc;
    memset(&rc, 0, sizeof rc);
    REQUIRE_OK(cpaDcCompressDataWithDict(inst, s, sl, ol, &dd, &op, &rc,
                                         (void *)0xd1c7));
    wait_for(inst, 1);
    CHECK(cb_status == CPA_STATUS_SUCCESS);
    CHECK(rc.status == CPA_DC_OK);
    CHECK(rc.consumed == IN);
    CHECK(rc.produced > 0 && rc.produced < IN / 4);
    Cpa32U crc_in = rc.checksum;
    save(argv[1], "dict.bin", dict, DICT);
    save(argv[1], "in.bin", src, IN);
    save(argv[1], "raw.bin", dst, rc.produced);
    char hex[16];
    snprintf(hex, sizeof hex, "%08x", crc_in);
    save(argv[1], "crc32.txt", hex, strlen(hex));
    ok("compress with dictionary");

    /* Decompress with the same op data, as the sample does. */
    ol->pBuffers[0].dataLenInBytes = rc.produced;
    CpaBufferList *bl = one(back, IN, meta_dst);
    CpaDcRqResults rd;
    memset(&rd, 0, sizeof rd);
    REQUIRE_OK(cpaDcDecompressDataWithDict(inst, s, ol, bl, &dd, &op, &rd,
                                           (void *)0xd1c7));
    wait_for(inst, 2);
    CHECK(rd.status == CPA_DC_OK);
    CHECK(rd.produced == IN);
    CHECK(memcmp(back, src, IN) == 0);
    CHECK(rd.checksum == crc_in);
    ok("decompress with dictionary");

    /* Synchronously, the dictionary in two buffers (its own metadata). */
    CpaDcSessionHandle s2 = dma(ss);
    REQUIRE_OK(cpaDcInitSession(inst, s2, &sd, NULL, NULL));
    CpaBufferList *d2 = dma(sizeof(CpaBufferList) + 2 * sizeof(CpaFlatBuffer));
    CpaFlatBuffer *f2 = (CpaFlatBuffer *)(d2 + 1);
    f2[0].dataLenInBytes = 5000;
    f2[0].pData = dict;
    f2[1].dataLenInBytes = DICT - 5000;
    f2[1].pData = dict + 5000;
    d2->pBuffers = f2;
    d2->numBuffers = 2;
    Cpa32U meta2 = 0;
    REQUIRE_OK(cpaDcGetMetaSizeForSrcBuffWithDict(inst, 2, 1, &meta2));
    d2->pPrivateMetaData = dma(meta2);
    CpaDcDictionaryData dd2 = dd;
    dd2.pDictionaryBuff = d2;
    memset(back, 0, IN);
    bl->pBuffers[0].dataLenInBytes = IN;
    memset(&rd, 0, sizeof rd);
    CHECK_OK(cpaDcDecompressDataWithDict(inst, s2, ol, bl, &dd2, &op, &rd, NULL));
    CHECK(rd.status == CPA_DC_OK && rd.produced == IN);
    CHECK(memcmp(back, src, IN) == 0);
    ok("synchronous, dictionary in two buffers");

    /* A dictionary too short for the stream's distances: the request
       completes with CPA_DC_INVALID_DIST in its results. */
    CpaDcDictionaryData shortd = dd;
    CpaBufferList *sh = one(dict + DICT - 100, 100, meta_dst);
    shortd.pDictionaryBuff = sh;
    memset(&rd, 0, sizeof rd);
    CHECK_STATUS(cpaDcDecompressDataWithDict(inst, s2, ol, bl, &shortd, &op,
                                             &rd, NULL),
                 CPA_STATUS_SUCCESS);
    CHECK(rd.status == CPA_DC_INVALID_DIST);
    ok("wrong dictionary");

    /* Refusals: compression without verification, compressed dictionaries,
       a NULL dictionary, a flush other than FINAL. */
    CpaDcOpData nocnv = op;
    nocnv.compressAndVerify = CPA_FALSE;
    CHECK_STATUS(cpaDcCompressDataWithDict(inst, s2, sl, ol, &dd, &nocnv, &rc, NULL),
                 CPA_STATUS_UNSUPPORTED);
    CpaDcDictionaryData comp = dd;
    comp.dictionaryType = CPA_DC_COMPRESSED_DICT;
    CHECK_STATUS(cpaDcCompressDataWithDict(inst, s2, sl, ol, &comp, &op, &rc, NULL),
                 CPA_STATUS_UNSUPPORTED);
    CHECK_STATUS(cpaDcCompressDataWithDict(inst, s2, sl, ol, NULL, &op, &rc, NULL),
                 CPA_STATUS_INVALID_PARAM);
    CpaDcOpData sync_op = op;
    sync_op.flushFlag = CPA_DC_FLUSH_SYNC;
    CHECK_STATUS(cpaDcCompressDataWithDict(inst, s2, sl, ol, &dd, &sync_op, &rc, NULL),
                 CPA_STATUS_INVALID_PARAM);
    ok("refusals");

    CHECK_OK(cpaDcRemoveSession(inst, s));
    CHECK_OK(cpaDcRemoveSession(inst, s2));
    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

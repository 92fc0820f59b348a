/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: CPA_DC_ZSTD sessions on a 6xxx (gen6) instance — the
   capabilities, cpaDcZstdCompressBound, qatlib's session rules (xxHash64
   only), compression of text into a zstd frame, its decompression, the
   decompression of a frame libzstd made (foreign.zst / foreign.bin, written
   by the Rust side) and the status of a damaged frame. Usage:
   dc_zstd <dir> [nozstd]; SOFTQAT_CONFIG_DIR names a configuration whose
   [ZSTD] section has one Dc instance. Writes in.bin, frame.zst and sum.txt
   (results.checksum) for the Rust side to decode with libzstd. With nozstd
   (a 4xxx or c6xx endpoint) checks the refusals only. */
#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_capabilities.h"
#include "icp_sal_user.h"

#define LEN (200 * 1000)

static CpaInstanceHandle inst;

static CpaStatus init(CpaDcChecksum checksum, CpaDcSessionHandle *out)
{
    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L1;
    sd.compType = CPA_DC_ZSTD;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd.autoSelectBestHuffmanTree = CPA_DC_ASB_ENABLED;
    sd.sessDirection = CPA_DC_DIR_COMBINED;
    sd.sessState = CPA_DC_STATELESS;
    sd.windowSize = CPA_DC_WINSIZE_64K;
    sd.checksum = checksum;
    Cpa32U size = 0, ctx = 0;
    CpaStatus st = cpaDcGetSessionSize(inst, &sd, &size, &ctx);
    if (st != CPA_STATUS_SUCCESS)
        return st;
    *out = dma(size);
    return cpaDcInitSession(inst, *out, &sd, NULL, NULL);
}

static CpaBufferList *list(Cpa8U *data, Cpa32U len)
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

static CpaBoolean cap(CpaDcDir dir, CpaDcCapabilityId id)
{
    CpaDcCapabilityReq req = {CPA_DC_ZSTD, dir, id};
    CpaDcCapabilityResp resp;
    memset(&resp, 0, sizeof resp);
    CHECK_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    return resp.boolStatus;
}

/* Reads a whole file of the directory into DMA memory; its length in *n. */
static Cpa8U *read_file(const char *dir, const char *name, Cpa32U *n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "FAIL cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    Cpa8U *p = dma(len > 0 ? (size_t)len : 1);
    CHECK(fread(p, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    *n = (Cpa32U)len;
    return p;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    REQUIRE_OK(icp_sal_userStart("ZSTD"));
    Cpa16U num = 0;
    REQUIRE_OK(cpaDcGetNumInstances(&num));
    CHECK(num == 1);
    REQUIRE_OK(cpaDcGetInstances(1, &inst));
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));
    CpaDcSessionHandle s;
    Cpa32U bound = 0;

    if (argc > 2 && strcmp(argv[2], "nozstd") == 0) {
        CHECK(cap(CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_STATELESS) == CPA_FALSE);
        CHECK(cap(CPA_DC_DIR_DECOMPRESS, CPA_DC_CAP_BOOL_STATELESS) == CPA_FALSE);
        CHECK_STATUS(cpaDcZstdCompressBound(inst, LEN, &bound), CPA_STATUS_UNSUPPORTED);
        CHECK_STATUS(init(CPA_DC_XXHASH64, &s), CPA_STATUS_UNSUPPORTED);
        CHECK_OK(cpaDcStopInstance(inst));
        CHECK_OK(icp_sal_userStop());
        ok("no zstd on this class");
        return finish();
    }

    CHECK(cap(CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_STATELESS) == CPA_TRUE);
    CHECK(cap(CPA_DC_DIR_DECOMPRESS, CPA_DC_CAP_BOOL_STATELESS) == CPA_TRUE);
    CHECK(cap(CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_CHECKSUM_XXHASH64) == CPA_TRUE);
    CHECK(cap(CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_CHECKSUM_CRC32) == CPA_FALSE);
    CHECK(cap(CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_WINDOW_SIZE_64K) == CPA_TRUE);
    CHECK(cap(CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_WINDOW_SIZE_32K) == CPA_FALSE);
    CHECK(cap(CPA_DC_DIR_DECOMPRESS, CPA_DC_CAP_BOOL_WINDOW_SIZE_4K) == CPA_TRUE);
    ok("zstd capabilities");

    REQUIRE_OK(cpaDcZstdCompressBound(inst, LEN, &bound));
    CHECK(bound > LEN);
    CHECK_STATUS(cpaDcZstdCompressBound(inst, 0, &bound), CPA_STATUS_INVALID_PARAM);
    REQUIRE_OK(cpaDcZstdCompressBound(inst, LEN, &bound));
    ok("cpaDcZstdCompressBound");

    CHECK_STATUS(init(CPA_DC_CRC32, &s), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(init(CPA_DC_NONE, &s), CPA_STATUS_INVALID_PARAM);
    REQUIRE_OK(init(CPA_DC_XXHASH64, &s));
    ok("zstd sessions take xxHash64");

    Cpa8U *in = dma(LEN), *out = dma(bound), *back = dma(LEN);
    fill_text(in, LEN, 9);
    write_file(dir, "in.bin", in, LEN);
    CpaBufferList *src = list(in, LEN), *dst = list(out, bound), *bl = list(back, LEN);
    CpaDcOpData op;
    memset(&op, 0, sizeof op);
    op.flushFlag = CPA_DC_FLUSH_FINAL;
    op.compressAndVerify = CPA_TRUE;
    CpaDcRqResults r;
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcCompressData2(inst, s, src, dst, &op, &r, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == LEN && r.produced < LEN / 2);
    Cpa32U produced = r.produced, sum = r.checksum;
    write_file(dir, "frame.zst", out, produced);
    char text[32];
    int tn = snprintf(text, sizeof text, "%08x\n", sum);
    write_file(dir, "sum.txt", text, (size_t)tn);
    ok("compression to a zstd frame");

    dst->pBuffers[0].dataLenInBytes = produced;
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcDecompressData2(inst, s, dst, bl, &op, &r, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == produced && r.produced == LEN);
    CHECK(r.checksum == sum);
    CHECK(memcmp(back, in, LEN) == 0);
    ok("decompression of the frame");

    /* The content checksum damaged. */
    out[produced - 1] ^= 0x40;
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcDecompressData2(inst, s, dst, bl, &op, &r, NULL));
    CHECK(r.status == CPA_DC_ZSTD_FRAME_CONTENT_CHECKSUM_MISMATCH);
    CHECK(r.produced == 0);
    /* Cut short. */
    out[produced - 1] ^= 0x40;
    dst->pBuffers[0].dataLenInBytes = produced - 1;
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcDecompressData2(inst, s, dst, bl, &op, &r, NULL));
    CHECK(r.status == CPA_DC_INCOMPLETE_FILE_ERR);
    ok("damaged frames");

    /* libzstd's frame. */
    Cpa32U flen = 0, plen = 0;
    Cpa8U *foreign = read_file(dir, "foreign.zst", &flen);
    Cpa8U *plain = read_file(dir, "foreign.bin", &plen);
    Cpa8U *fback = dma(plen + 1);
    CpaBufferList *fl = list(foreign, flen), *fo = list(fback, plen + 1);
    memset(&r, 0, sizeof r);
    CHECK_OK(cpaDcDecompressData2(inst, s, fl, fo, &op, &r, NULL));
    CHECK(r.status == CPA_DC_OK && r.consumed == flen && r.produced == plen);
    CHECK(memcmp(fback, plain, plen) == 0);
    ok("decompression of libzstd's frame");

    CHECK_OK(cpaDcRemoveSession(inst, s));
    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: LZ4S sessions and the LZ4S / zstd bound calls on a
   gen4 instance, and the refusal of CPA_DC_ZSTD sessions (qatlib offers
   them on gen6 only). Usage: dc_lz4s <output dir>. Writes in.bin, the LZ4S
   blocks mm3.lz4s and mm4.lz4s (minimum match 3 and 4) and sums.txt (their
   xxHash32 checksums) for the Rust side to decode and check. */
#include "harness.h"
#include "cpa_dc.h"
#include "cpa_dc_capabilities.h"
#include "icp_sal_user.h"

#define LEN (64 * 1024)

static CpaInstanceHandle inst;

static CpaStatus init(CpaDcCompType type, CpaDcSessionDir dir, CpaDcChecksum checksum,
                      CpaDcCompMinMatch min_match, CpaDcSessionHandle *out)
{
    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L6;
    sd.compType = type;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC;
    sd.autoSelectBestHuffmanTree = CPA_DC_ASB_DISABLED;
    sd.sessDirection = dir;
    sd.sessState = CPA_DC_STATELESS;
    sd.windowSize = CPA_DC_WINSIZE_32K;
    sd.minMatch = min_match;
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

int main(int argc, char **argv)
{
    const char *outdir = argc > 1 ? argv[1] : ".";
    REQUIRE_OK(icp_sal_userStart("SSL"));
    REQUIRE_OK(cpaDcGetInstances(1, &inst));
    REQUIRE_OK(cpaDcStartInstance(inst, 0, NULL));

    /* Capabilities: LZ4S compression on gen4; no zstd. */
    CpaDcInstanceCapabilities caps;
    CHECK_OK(cpaDcQueryCapabilities(inst, &caps));
    CHECK(caps.statelessLZ4SCompression == CPA_TRUE);
    CpaDcCapabilityReq req = {CPA_DC_LZ4S, CPA_DC_DIR_COMPRESS, CPA_DC_CAP_BOOL_STATELESS};
    CpaDcCapabilityResp resp;
    CHECK_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_TRUE);
    req.capId = CPA_DC_CAP_BOOL_CHECKSUM_XXHASH32;
    CHECK_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_TRUE);
    req.dir = CPA_DC_DIR_DECOMPRESS;
    req.capId = CPA_DC_CAP_BOOL_STATELESS;
    CHECK_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_FALSE);
    req.algo = CPA_DC_ZSTD;
    req.dir = CPA_DC_DIR_COMPRESS;
    CHECK_OK(cpaDcQueryCapabilityByType(inst, req, &resp));
    CHECK(resp.boolStatus == CPA_FALSE);
    ok("LZ4S and zstd capabilities");

    /* Bounds: qatlib's gen4 LZ4S formula; zstd has none here. */
    Cpa32U bound = 0;
    CHECK_OK(cpaDcLZ4SCompressBound(inst, LEN, &bound));
    CHECK(bound == LEN + ((LEN + 1999) / 2000) * 11 + 1024);
    CHECK_STATUS(cpaDcLZ4SCompressBound(inst, 0, &bound), CPA_STATUS_INVALID_PARAM);
    CHECK_STATUS(cpaDcLZ4SCompressBound(inst, LEN, NULL), CPA_STATUS_INVALID_PARAM);
    Cpa32U zbound = 0;
    CHECK_STATUS(cpaDcZstdCompressBound(inst, LEN, &zbound), CPA_STATUS_UNSUPPORTED);
    ok("cpaDcLZ4SCompressBound and cpaDcZstdCompressBound");

    /* Sessions: ZSTD refused, LZ4S compression only, xxHash32 or none. */
    CpaDcSessionHandle s;
    CHECK_STATUS(init(CPA_DC_ZSTD, CPA_DC_DIR_COMPRESS, CPA_DC_XXHASH64, CPA_DC_MIN_3_BYTE_MATCH, &s),
                 CPA_STATUS_UNSUPPORTED);
    CHECK_STATUS(init(CPA_DC_LZ4S, CPA_DC_DIR_COMBINED, CPA_DC_XXHASH32, CPA_DC_MIN_3_BYTE_MATCH, &s),
                 CPA_STATUS_UNSUPPORTED);
    CHECK_STATUS(init(CPA_DC_LZ4S, CPA_DC_DIR_COMPRESS, CPA_DC_CRC32, CPA_DC_MIN_3_BYTE_MATCH, &s),
                 CPA_STATUS_INVALID_PARAM);
    ok("session refusals");

    Cpa8U *in = dma(LEN);
    fill_text(in, LEN, 5);
    write_file(outdir, "in.bin", in, LEN);
    Cpa8U *out = dma(bound);
    CpaBufferList *src = list(in, LEN), *dst = list(out, bound);
    char sums[256];
    size_t n = 0;
    const CpaDcCompMinMatch mms[2] = {CPA_DC_MIN_3_BYTE_MATCH, CPA_DC_MIN_4_BYTE_MATCH};
    for (int i = 0; i < 2; i++) {
        REQUIRE_OK(init(CPA_DC_LZ4S, CPA_DC_DIR_COMPRESS, CPA_DC_XXHASH32, mms[i], &s));
        CpaDcOpData op;
        memset(&op, 0, sizeof op);
        op.flushFlag = CPA_DC_FLUSH_FINAL;
        op.compressAndVerify = CPA_TRUE;
        CpaDcRqResults r;
        memset(&r, 0, sizeof r);
        CHECK_OK(cpaDcCompressData2(inst, s, src, dst, &op, &r, NULL));
        CHECK(r.status == CPA_DC_OK && r.consumed == LEN && r.produced < LEN / 2);
        write_file(outdir, i == 0 ? "mm3.lz4s" : "mm4.lz4s", out, r.produced);
        n += snprintf(sums + n, sizeof sums - n, "mm%d %08x\n", 3 + i, r.checksum);
        /* No decompression of LZ4S. */
        CHECK_STATUS(cpaDcDecompressData2(inst, s, dst, src, &op, &r, NULL),
                     CPA_STATUS_INVALID_PARAM);
        CHECK_OK(cpaDcRemoveSession(inst, s));
    }
    write_file(outdir, "sums.txt", sums, n);
    ok("LZ4S compression");

    CHECK_OK(cpaDcStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}

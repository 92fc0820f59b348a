/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: CPA Data Compression API (sessions, stateless/stateful and
   no-session requests, dictionaries, headers/footers, instances).
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_DC_H
#define CPA_DC_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa.h"

/* Deprecated DC-specific version; equal to the CPA API version. */
#define CPA_DC_API_VERSION_NUM_MAJOR (CPA_API_VERSION_NUM_MAJOR)
#define CPA_DC_API_VERSION_NUM_MINOR (CPA_API_VERSION_NUM_MINOR)

/* True when the DC API version is >= major.minor. */
#define CPA_DC_API_VERSION_AT_LEAST(major, minor)                              \
    (CPA_DC_API_VERSION_NUM_MAJOR > major ||                                   \
     (CPA_DC_API_VERSION_NUM_MAJOR == major &&                                 \
      CPA_DC_API_VERSION_NUM_MINOR >= minor))

/* True when the DC API version is < major.minor. */
#define CPA_DC_API_VERSION_LESS_THAN(major, minor)                             \
    (CPA_DC_API_VERSION_NUM_MAJOR < major ||                                   \
     (CPA_DC_API_VERSION_NUM_MAJOR == major &&                                 \
      CPA_DC_API_VERSION_NUM_MINOR < minor))

/* Bits in the dcChainCapInfo bitmap (one per CpaDcChainOperations). */
#define CPA_DC_CHAIN_CAP_BITMAP_SIZE (32)

/* Caller-allocated session memory (size from cpaDcGetSessionSize). */
typedef void *CpaDcSessionHandle;

/* Flush behaviour of a request. */
typedef enum
{
    CPA_DC_FLUSH_NONE = 0,
    CPA_DC_FLUSH_FINAL,
    CPA_DC_FLUSH_SYNC,
    CPA_DC_FLUSH_FULL
} CpaDcFlush;

/* Deflate Huffman tree kind. */
typedef enum
{
    CPA_DC_HT_STATIC = 0,
    CPA_DC_HT_PRECOMP,
    CPA_DC_HT_FULL_DYNAMIC
} CpaDcHuffType;

/* Compression algorithm (values start at 3). */
typedef enum
{
    CPA_DC_DEFLATE = 3,
    CPA_DC_LZ4,
    CPA_DC_LZ4S,
    CPA_DC_ZSTD
} CpaDcCompType;

/* History window size. */
typedef enum
{
    CPA_DC_WINSIZE_4K = 0,
    CPA_DC_WINSIZE_8K,
    CPA_DC_WINSIZE_16K,
    CPA_DC_WINSIZE_32K,
    CPA_DC_WINSIZE_64K
} CpaDcCompWindowSize;

/* Minimum match length (LZ4S only). */
typedef enum
{
    CPA_DC_MIN_3_BYTE_MATCH = 0,
    CPA_DC_MIN_4_BYTE_MATCH
} CpaDcCompMinMatch;

/* LZ4 maximum block size. */
typedef enum
{
    CPA_DC_LZ4_MAX_BLOCK_SIZE_64K = 0,
    CPA_DC_LZ4_MAX_BLOCK_SIZE_256K,
    CPA_DC_LZ4_MAX_BLOCK_SIZE_1M,
    CPA_DC_LZ4_MAX_BLOCK_SIZE_4M,
} CpaDcCompLZ4BlockMaxSize;

/* Bitmask form of the LZ4 block sizes (capability reporting). */
typedef enum
{
    CPA_DC_BLOCK_SIZE_64K_BITMASK = CPA_BITMASK(0),
    CPA_DC_BLOCK_SIZE_256K_BITMASK = CPA_BITMASK(1),
    CPA_DC_BLOCK_SIZE_1M_BITMASK = CPA_BITMASK(2),
    CPA_DC_BLOCK_SIZE_4M_BITMASK = CPA_BITMASK(3),
} CpaDcBlockSizeBitmask;

/* Checksum computed over the uncompressed data. */
typedef enum
{
    CPA_DC_NONE = 0,
    CPA_DC_CRC32,
    CPA_DC_ADLER32,
    CPA_DC_CRC32_ADLER32,
    CPA_DC_XXHASH32,
    CPA_DC_XXHASH64
} CpaDcChecksum;

/* Direction(s) a session is used for. */
typedef enum
{
    CPA_DC_DIR_COMPRESS = 0,
    CPA_DC_DIR_DECOMPRESS,
    CPA_DC_DIR_COMBINED
} CpaDcSessionDir;

typedef CpaDcSessionDir CpaDcDir;

/* Stateful (history kept across requests) or stateless session. */
typedef enum
{
    CPA_DC_STATEFUL = 0,
    CPA_DC_STATELESS
} CpaDcSessionState;

typedef CpaDcSessionState CpaDcState;

/* Compression level 1..12. */
typedef enum
{
    CPA_DC_L1 = 1,
    CPA_DC_L2,
    CPA_DC_L3,
    CPA_DC_L4,
    CPA_DC_L5,
    CPA_DC_L6,
    CPA_DC_L7,
    CPA_DC_L8,
    CPA_DC_L9,
    CPA_DC_L10,
    CPA_DC_L11,
    CPA_DC_L12
} CpaDcCompLvl;

/* Per-request result detail (CpaDcRqResults.status); 0 or negative. */
typedef enum
{
    CPA_DC_OK = 0,
    CPA_DC_INVALID_BLOCK_TYPE = -1,
    CPA_DC_BAD_STORED_BLOCK_LEN = -2,
    CPA_DC_TOO_MANY_CODES = -3,
    CPA_DC_INCOMPLETE_CODE_LENS = -4,
    CPA_DC_REPEATED_LENS = -5,
    CPA_DC_MORE_REPEAT = -6,
    CPA_DC_BAD_LITLEN_CODES = -7,
    CPA_DC_BAD_DIST_CODES = -8,
    CPA_DC_INVALID_CODE = -9,
    CPA_DC_INVALID_DIST = -10,
    CPA_DC_OVERFLOW = -11,
    CPA_DC_SOFTERR = -12,
    CPA_DC_FATALERR = -13,
    CPA_DC_MAX_RESUBITERR = -14,
    CPA_DC_INCOMPLETE_FILE_ERR = -15,
    CPA_DC_WDOG_TIMER_ERR = -16,
    CPA_DC_EP_HARDWARE_ERR = -17,
    CPA_DC_VERIFY_ERROR = -18,
    CPA_DC_EMPTY_DYM_BLK = -19,
    CPA_DC_CRC_INTEG_ERR = -20,
    CPA_DC_REGION_OUT_OF_BOUNDS = -21,
    CPA_DC_LZ4_INVALID_COMP_LEN = -24,
    CPA_DC_ACCEL_PARITY_ERR = -27,
    CPA_DC_INVALID_DICT_BUFF = -28,
    CPA_DC_LZ4_MULTIBLOCK_WITHOUT_HEADER = -29,
    CPA_DC_INVALID_ZSTD_FRAME = -30,
    CPA_DC_ZSTD_REGEN_COMP_SIZE_MISMATCH = -31,
    CPA_DC_ZSTD_NO_PRIOR_TREE = -32,
    CPA_DC_ZSTD_HUFFMAN_TREE_BUILD_ERROR = -33,
    CPA_DC_ZSTD_MAX_CODELEN_EXCEEDED = -34,
    CPA_DC_ZSTD_MAX_ACCURACY_LOG_EXCEEDED = -35,
    CPA_DC_ZSTD_HUFFMAN_WEIGHTS_CORRUPTED = -36,
    CPA_DC_ZSTD_LIBUFFER_OVERFLOW = -37,
    CPA_DC_ZSTD_JUMP_TABLE_CORRUPTED = -38,
    CPA_DC_ZSTD_RESERVED_BLOCK_SEEN = -39,
    CPA_DC_ZSTD_LITERAL_DECOMPRESSION_DATA_ERROR = -40,
    CPA_DC_ZSTD_LIT_PADDING_BYTE_CORRUPTED_ERROR = -41,
    CPA_DC_ZSTD_FSE_TABLE_DECODE_ERROR = -42,
    CPA_DC_ZSTD_ACCURACY_LOG_EXCEEDS_MAX = -43,
    CPA_DC_ZSTD_INCOMPLETE_SEQUENCE_DATA_BLOCK = -47,
    CPA_DC_ZSTD_REPEAT_MODE_WITH_NO_PRIOR_FSE = -48,
    CPA_DC_MISC_ERROR = -50,
    CPA_DC_ZSTD_SEQ_FSE_TABLE_DECODE_ERROR = -51,
    CPA_DC_ZSTD_LITERAL_BUFFER_UNDERRUN = -52,
    CPA_DC_ZSTD_SEQ_OVERFLOW_ERROR = -53,
    CPA_DC_ZERO_TOKEN_OFFSET = -55,
    CPA_DC_ZSTD_SEQ_PADDING_BYTE_CORRUPTED_ERROR = -56,
    CPA_DC_ZSTD_CMN_TAG_CORRUPTED_ERROR = -57,
    CPA_DC_ZSTD_SYMBOL_CPR_MODE_ERROR = -61,
    CPA_DC_ZSTD_FRAME_CONTENT_SIZE_MISMATCH = -62,
    CPA_DC_ZSTD_FRAME_CONTENT_CHECKSUM_MISMATCH = -63,
    CPA_DC_ZSTD_ZERO_COMPRESSED_BLOCK_SIZE = -64,
    CPA_DC_ZSTD_FRAME_HEADER_UNDERFLOW_ERROR = -65,
    CPA_DC_ZSTD_CONTENT_CHECKSUM_UNDERFLOW_ERROR = -66,
    CPA_DC_LZ4_MAX_BLOCK_SIZE_EXCEEDED = -93,
    CPA_DC_LZ4_BLOCK_OVERFLOW_ERR = -95,
    CPA_DC_LZ4_TOKEN_IS_ZERO_ERR = -98,
    CPA_DC_LZ4_DISTANCE_OUT_OF_RANGE_ERR = -100,
    CPA_DC_E2E_NO_DECOMPRESSION = -101,
} CpaDcReqStatus;

/* Auto-select-best (ASB) mode; values 1..3 are deprecated. */
typedef enum
{
    CPA_DC_ASB_DISABLED = 0,
    CPA_DC_ASB_STATIC_DYNAMIC = 1,
    CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS = 2,
    CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_NO_HDRS = 3,
    CPA_DC_ASB_ENABLED = 4,
} CpaDcAutoSelectBest;

/* ASB threshold in bytes (256 << value), for cpaDcSetAsbThreshold. */
typedef enum
{
    CPA_DC_ASB_THRESHOLD_256 = 0,
    CPA_DC_ASB_THRESHOLD_512 = 1,
    CPA_DC_ASB_THRESHOLD_1024 = 2,
    CPA_DC_ASB_THRESHOLD_2048 = 3,
    CPA_DC_ASB_THRESHOLD_4096 = 4,
    CPA_DC_ASB_THRESHOLD_8192 = 5,
    CPA_DC_ASB_THRESHOLD_16384 = 6,
    CPA_DC_ASB_THRESHOLD_32768 = 7,
    CPA_DC_ASB_THRESHOLD_65536 = 8,
} CpaDcAsbThreshold;

/* ASB ratio in sixteenths of the input size, for cpaDcSetAsbRatio. */
typedef enum
{
    CPA_DC_ASB_RATIO_1_SIXTEENTH = 1,
    CPA_DC_ASB_RATIO_2_SIXTEENTH = 2,
    CPA_DC_ASB_RATIO_3_SIXTEENTH = 3,
    CPA_DC_ASB_RATIO_4_SIXTEENTH = 4,
    CPA_DC_ASB_RATIO_5_SIXTEENTH = 5,
    CPA_DC_ASB_RATIO_6_SIXTEENTH = 6,
    CPA_DC_ASB_RATIO_7_SIXTEENTH = 7,
    CPA_DC_ASB_RATIO_8_SIXTEENTH = 8,
    CPA_DC_ASB_RATIO_9_SIXTEENTH = 9,
    CPA_DC_ASB_RATIO_10_SIXTEENTH = 10,
    CPA_DC_ASB_RATIO_11_SIXTEENTH = 11,
    CPA_DC_ASB_RATIO_12_SIXTEENTH = 12,
    CPA_DC_ASB_RATIO_13_SIXTEENTH = 13,
    CPA_DC_ASB_RATIO_14_SIXTEENTH = 14,
    CPA_DC_ASB_RATIO_15_SIXTEENTH = 15,
    CPA_DC_ASB_RATIO_16_SIXTEENTH = 16
} CpaDcAsbRatio;

/* Where skip regions lie in a buffer. */
typedef enum
{
    CPA_DC_SKIP_DISABLED = 0,
    CPA_DC_SKIP_AT_START = 1,
    CPA_DC_SKIP_AT_END = 2,
    CPA_DC_SKIP_STRIDE = 3
} CpaDcSkipMode;

/* Dictionary format for the *WithDict calls. */
typedef enum
{
    CPA_DC_UNCOMPRESSED_DICT = 0,
    CPA_DC_COMPRESSED_DICT = 1
} CpaDcDictType;

/* Whether LZ4 output includes the frame header. */
typedef enum
{
    CPA_DC_LZ4_OUTPUT_WITH_HEADER = 0,
    CPA_DC_LZ4_OUTPUT_WITHOUT_HEADER = 1
} CpaDcLZ4OutputFormat;

/* DC-specific function return code: malformed input data. */
#define CPA_DC_BAD_DATA (-100)

/* Completion callback of an asynchronous session request. */
typedef void (*CpaDcCallbackFn)(void *callbackTag, CpaStatus status);

/* Deprecated capability matrix; use cpaDcQueryCapabilityByType. */
typedef struct
{
    CpaBoolean statefulLZSCompression;
    CpaBoolean statefulLZSDecompression;
    CpaBoolean statelessLZSCompression;
    CpaBoolean statelessLZSDecompression;
    CpaBoolean statefulLZSSCompression;
    CpaBoolean statefulLZSSDecompression;
    CpaBoolean statelessLZSSCompression;
    CpaBoolean statelessLZSSDecompression;
    CpaBoolean statefulELZSCompression;
    CpaBoolean statefulELZSDecompression;
    CpaBoolean statelessELZSCompression;
    CpaBoolean statelessELZSDecompression;
    CpaBoolean statefulDeflateCompression;
    CpaBoolean statefulDeflateDecompression;
    CpaBoolean statelessDeflateCompression;
    CpaBoolean statelessDeflateDecompression;
    CpaBoolean statelessLZ4Compression;
    CpaBoolean statelessLZ4Decompression;
    CpaBoolean statefulLZ4Decompression;
    CpaBoolean statelessLZ4SCompression;
    CpaBoolean checksumCRC32;
    CpaBoolean checksumAdler32;
    CpaBoolean checksumXXHash32;
    CpaBoolean dynamicHuffman;
    CpaBoolean dynamicHuffmanBufferReq;
    CpaBoolean precompiledHuffman;
    CpaBoolean autoSelectBestHuffmanTree;
    Cpa8U validWindowSizeMaskCompression;
    Cpa8U validWindowSizeMaskDecompression;
    Cpa32U internalHuffmanMem;
    CpaBoolean endOfLastBlock;
    CpaBoolean reportParityError;
    CpaBoolean batchAndPack;
    CpaBoolean compressAndVerify;
    CpaBoolean compressAndVerifyStrict;
    CpaBoolean compressAndVerifyAndRecover;
    CpaBoolean integrityCrcs;
    CPA_BITMAP(dcChainCapInfo, CPA_DC_CHAIN_CAP_BITMAP_SIZE);
    CpaBoolean integrityCrcs64b;
} CpaDcInstanceCapabilities CPA_DEPRECATED;

/* Session configuration (also used by the no-session calls). */
typedef struct
{
    CpaDcCompLvl compLevel;
    CpaDcCompType compType;
    CpaDcHuffType huffType;
    CpaDcAutoSelectBest autoSelectBestHuffmanTree;
    CpaDcSessionDir sessDirection;
    CpaDcSessionState sessState;
    CpaDcCompWindowSize windowSize;
    CpaDcCompMinMatch minMatch;
    CpaDcCompLZ4BlockMaxSize lz4BlockMaxSize;
    CpaBoolean lz4BlockChecksum;
    CpaBoolean lz4BlockIndependence;
    CpaDcChecksum checksum;
    CpaBoolean accumulateXXHash;
} CpaDcSessionSetupData;

typedef CpaDcSessionSetupData CpaDcNsSetupData;

/* Fields changeable with cpaDcUpdateSession. */
typedef struct
{
    CpaDcCompLvl compLevel;
    CpaDcHuffType huffType;
    CpaBoolean enableDmm;
} CpaDcSessionUpdateData;

/* Per-instance request counters. */
typedef struct
{
    Cpa64U numCompRequests;
    Cpa64U numCompRequestsErrors;
    Cpa64U numCompCompleted;
    Cpa64U numCompCompletedErrors;
    Cpa64U numCompCnvErrorsRecovered;
    Cpa64U numDecompRequests;
    Cpa64U numDecompRequestsErrors;
    Cpa64U numDecompCompleted;
    Cpa64U numDecompCompletedErrors;
} CpaDcStats;

/* Result of one request. For stateless requests checksum is also the
   input seed (ignored for xxHash). */
typedef struct
{
    CpaDcReqStatus status;
    Cpa32U produced;
    Cpa32U consumed;
    Cpa32U checksum;
    CpaBoolean endOfLastBlock;
    CpaBoolean dataUncompressed;
} CpaDcRqResults;

/* Width of the integrity CRCs. */
typedef enum
{
    CPA_DC_INTEGRITY_CRC32 = 0,
    CPA_DC_INTEGRITY_CRC64,
} CpaDcIntegrityCrcSize;

/* 32-bit integrity CRCs of a request's input and output. */
typedef struct
{
    Cpa32U iCrc;
    Cpa32U oCrc;
} CpaIntegrityCrc;

/* 64-bit integrity CRCs of a request's input and output. */
typedef struct
{
    Cpa64U iCrc;
    Cpa64U oCrc;
} CpaIntegrityCrc64b;

/* All CRC results of a request (CpaDcOpData.pCrcData). */
typedef struct
{
    Cpa32U crc32;
    Cpa32U adler32;
    CpaIntegrityCrc integrityCrc;
    CpaIntegrityCrc64b integrityCrc64b;
} CpaCrcData;

/* Skip-region description for input or output buffers. */
typedef struct
{
    CpaDcSkipMode skipMode;
    Cpa32U skipLength;
    Cpa32U strideLength;
    Cpa32U firstSkipOffset;
} CpaDcSkipData;

/* Per-request options for the *2, Ns and WithDict calls. */
typedef struct
{
    CpaDcFlush flushFlag;
    CpaBoolean compressAndVerify;
    CpaBoolean compressAndVerifyAndRecover;
    CpaBoolean integrityCrcCheck;
    CpaBoolean verifyHwIntegrityCrcs;
    CpaDcIntegrityCrcSize integrityCrcSize;
    CpaDcSkipData inputSkipData;
    CpaDcSkipData outputSkipData;
    CpaCrcData *pCrcData;
} CpaDcOpData;

/* CpaDcOpData plus the option to append a CRC64 of the plain text. */
typedef struct
{
    CpaDcOpData dcOpData;
    CpaBoolean appendCRC64;
} CpaDcOpData2;

/* Dictionary for cpaDcCompressDataWithDict/cpaDcDecompressDataWithDict. */
typedef struct
{
    CpaBufferList *pDictionaryBuff;
    CpaDcDictType dictionaryType;
    CpaBoolean calcDictionaryIntegCrc;
    CpaIntegrityCrc64b dictionaryIntegCrc64b;
    Cpa32U dictId;
    void *pExtDictionaryData;
} CpaDcDictionaryData;

/* Deprecated: fill the capability matrix of an instance. */
CpaStatus CPA_DEPRECATED
cpaDcQueryCapabilities(CpaInstanceHandle dcInstance,
                       CpaDcInstanceCapabilities *pInstanceCapabilities);

/* Initialise a session in caller memory; a NULL callbackFn makes its
   requests synchronous. */
CpaStatus cpaDcInitSession(CpaInstanceHandle dcInstance,
                           CpaDcSessionHandle pSessionHandle,
                           CpaDcSessionSetupData *pSessionData,
                           CpaBufferList *pContextBuffer,
                           CpaDcCallbackFn callbackFn);

/* Set the programmable CRC used for end-to-end integrity on a session. */
CpaStatus cpaDcSetCrcControlData(CpaInstanceHandle dcInstance,
                                 CpaDcSessionHandle pSessionHandle,
                                 CpaCrcControlData *pCrcControlData);

/* Choose LZ4 output with or without frame header. */
CpaStatus cpaDcSetLZ4OutputFormat(CpaInstanceHandle dcInstance,
                                  CpaDcSessionHandle pSessionHandle,
                                  CpaDcLZ4OutputFormat outLZ4Format);

/* Reset a session's state (history, checksums). */
CpaStatus cpaDcResetSession(const CpaInstanceHandle dcInstance,
                            CpaDcSessionHandle pSessionHandle);

/* Reset only the accumulated xxHash state of a session. */
CpaStatus cpaDcResetXXHashState(const CpaInstanceHandle dcInstance,
                                CpaDcSessionHandle pSessionHandle);

/* Change level, Huffman type or DMM of a session. */
CpaStatus cpaDcUpdateSession(const CpaInstanceHandle dcInstance,
                             CpaDcSessionHandle pSessionHandle,
                             CpaDcSessionUpdateData *pSessionUpdateData);

/* Tear down a session (RETRY while requests are in flight). */
CpaStatus cpaDcRemoveSession(const CpaInstanceHandle dcInstance,
                             CpaDcSessionHandle pSessionHandle);

/* Set the ASB threshold of a session. */
CpaStatus cpaDcSetAsbThreshold(const CpaInstanceHandle dcInstance,
                               CpaDcSessionHandle pSessionHandle,
                               CpaDcAsbThreshold asbThreshold);

/* Set the ASB ratio of a session. */
CpaStatus cpaDcSetAsbRatio(const CpaInstanceHandle dcInstance,
                           CpaDcSessionHandle pSessionHandle,
                           CpaDcAsbRatio asbRatio);

/* Worst-case deflate output size for inputSize bytes. */
CpaStatus cpaDcDeflateCompressBound(const CpaInstanceHandle dcInstance,
                                    CpaDcHuffType huffType,
                                    Cpa32U inputSize,
                                    Cpa32U *outputSize);

/* Worst-case LZ4 output size. */
CpaStatus cpaDcLZ4CompressBound(const CpaInstanceHandle dcInstance,
                                Cpa32U inputSize,
                                Cpa32U *outputSize);

/* Worst-case LZ4S output size. */
CpaStatus cpaDcLZ4SCompressBound(const CpaInstanceHandle dcInstance,
                                 Cpa32U inputSize,
                                 Cpa32U *outputSize);

/* Compress pSrcBuff into pDestBuff on a session. */
CpaStatus cpaDcCompressData(CpaInstanceHandle dcInstance,
                            CpaDcSessionHandle pSessionHandle,
                            CpaBufferList *pSrcBuff,
                            CpaBufferList *pDestBuff,
                            CpaDcRqResults *pResults,
                            CpaDcFlush flushFlag,
                            void *callbackTag);

/* Compress with per-request options. */
CpaStatus cpaDcCompressData2(CpaInstanceHandle dcInstance,
                             CpaDcSessionHandle pSessionHandle,
                             CpaBufferList *pSrcBuff,
                             CpaBufferList *pDestBuff,
                             CpaDcOpData *pOpData,
                             CpaDcRqResults *pResults,
                             void *callbackTag);

/* One-shot compression without a session. */
CpaStatus cpaDcNsCompressData(CpaInstanceHandle dcInstance,
                              CpaDcNsSetupData *pSetupData,
                              CpaBufferList *pSrcBuff,
                              CpaBufferList *pDestBuff,
                              CpaDcOpData *pOpData,
                              CpaDcRqResults *pResults,
                              CpaDcCallbackFn callbackFn,
                              void *callbackTag);

/* Compress using a dictionary. */
CpaStatus cpaDcCompressDataWithDict(CpaInstanceHandle dcInstance,
                                    CpaDcSessionHandle pSessionHandle,
                                    CpaBufferList *pSrcBuff,
                                    CpaBufferList *pDestBuff,
                                    CpaDcDictionaryData *pDictionaryData,
                                    CpaDcOpData *pOpData,
                                    CpaDcRqResults *pResults,
                                    void *callbackTag);

/* Decompress pSrcBuff into pDestBuff on a session. */
CpaStatus cpaDcDecompressData(CpaInstanceHandle dcInstance,
                              CpaDcSessionHandle pSessionHandle,
                              CpaBufferList *pSrcBuff,
                              CpaBufferList *pDestBuff,
                              CpaDcRqResults *pResults,
                              CpaDcFlush flushFlag,
                              void *callbackTag);

/* Decompress with per-request options. */
CpaStatus cpaDcDecompressData2(CpaInstanceHandle dcInstance,
                               CpaDcSessionHandle pSessionHandle,
                               CpaBufferList *pSrcBuff,
                               CpaBufferList *pDestBuff,
                               CpaDcOpData *pOpData,
                               CpaDcRqResults *pResults,
                               void *callbackTag);

/* One-shot decompression without a session. */
CpaStatus cpaDcNsDecompressData(CpaInstanceHandle dcInstance,
                                CpaDcNsSetupData *pSetupData,
                                CpaBufferList *pSrcBuff,
                                CpaBufferList *pDestBuff,
                                CpaDcOpData *pOpData,
                                CpaDcRqResults *pResults,
                                CpaDcCallbackFn callbackFn,
                                void *callbackTag);

/* Decompress using a dictionary. */
CpaStatus cpaDcDecompressDataWithDict(CpaInstanceHandle dcInstance,
                                      CpaDcSessionHandle pSessionHandle,
                                      CpaBufferList *pSrcBuff,
                                      CpaBufferList *pDestBuff,
                                      CpaDcDictionaryData *pDictionaryData,
                                      CpaDcOpData *pOpData,
                                      CpaDcRqResults *pResults,
                                      void *callbackTag);

/* Write the gzip/zlib header or LZ4 frame header of a session. */
CpaStatus cpaDcGenerateHeader(CpaDcSessionHandle pSessionHandle,
                              CpaFlatBuffer *pDestBuff,
                              Cpa32U *count);

/* Write the matching footer and reset the session. */
CpaStatus cpaDcGenerateFooter(CpaDcSessionHandle pSessionHandle,
                              CpaFlatBuffer *pDestBuff,
                              CpaDcRqResults *pResults);

/* No-session variant of cpaDcGenerateHeader. */
CpaStatus cpaDcNsGenerateHeader(CpaDcNsSetupData *pSetupData,
                                CpaFlatBuffer *pDestBuff,
                                Cpa32U *count);

/* No-session variant of cpaDcGenerateFooter (totalLength for gzip). */
CpaStatus cpaDcNsGenerateFooter(CpaDcNsSetupData *pSetupData,
                                Cpa64U totalLength,
                                CpaFlatBuffer *pDestBuff,
                                CpaDcRqResults *pResults);

/* Read the instance's counters. */
CpaStatus cpaDcGetStats(CpaInstanceHandle dcInstance, CpaDcStats *pStatistics);

/* Number of compression instances. */
CpaStatus cpaDcGetNumInstances(Cpa16U *pNumInstances);

/* Handles of the compression instances. */
CpaStatus cpaDcGetInstances(Cpa16U numInstances,
                            CpaInstanceHandle *dcInstances);

/* Number of intermediate buffer lists cpaDcStartInstance wants. */
CpaStatus cpaDcGetNumIntermediateBuffers(CpaInstanceHandle instanceHandle,
                                         Cpa16U *pNumBuffers);

/* Start an instance, optionally with intermediate buffers. */
CpaStatus cpaDcStartInstance(CpaInstanceHandle instanceHandle,
                             Cpa16U numBuffers,
                             CpaBufferList **pIntermediateBuffers);

/* Stop an instance. */
CpaStatus cpaDcStopInstance(CpaInstanceHandle instanceHandle);

/* Describe an instance. */
CpaStatus cpaDcInstanceGetInfo2(const CpaInstanceHandle instanceHandle,
                                CpaInstanceInfo2 *pInstanceInfo2);

/* Callback for instance events (restart, fatal error). */
typedef void (*CpaDcInstanceNotificationCbFunc)(
    const CpaInstanceHandle instanceHandle,
    void *pCallbackTag,
    const CpaInstanceEvent instanceEvent);

/* Register an instance event callback. */
CpaStatus cpaDcInstanceSetNotificationCb(
    const CpaInstanceHandle instanceHandle,
    const CpaDcInstanceNotificationCbFunc pInstanceNotificationCb,
    void *pCallbackTag);

/* Sizes of session memory and (stateful) context buffer. */
CpaStatus cpaDcGetSessionSize(CpaInstanceHandle dcInstance,
                              CpaDcSessionSetupData *pSessionData,
                              Cpa32U *pSessionSize,
                              Cpa32U *pContextSize);

/* Size of CpaBufferList.pPrivateMetaData for numBuffers buffers. */
CpaStatus cpaDcBufferListGetMetaSize(const CpaInstanceHandle instanceHandle,
                                     Cpa32U numBuffers,
                                     Cpa32U *pSizeInBytes);

/* Metadata size of a source list used with a dictionary. */
CpaStatus cpaDcGetMetaSizeForSrcBuffWithDict(
    const CpaInstanceHandle instanceHandle,
    Cpa32U numDictBuffers,
    Cpa32U numSourceBuffers,
    Cpa32U *pSizeInBytes);

/* Text for a status; pStatusText holds
   CPA_STATUS_MAX_STR_LENGTH_IN_BYTES bytes. */
CpaStatus cpaDcGetStatusText(const CpaInstanceHandle dcInstance,
                             const CpaStatus errStatus,
                             Cpa8S *pStatusText);

/* Replace the instance's virtual-to-physical translation. */
CpaStatus cpaDcSetAddressTranslation(const CpaInstanceHandle instanceHandle,
                                     CpaVirtualToPhysical virtual2Physical);

/* Worst-case Zstandard output size (FAIL above 2^32-1). */
CpaStatus cpaDcZstdCompressBound(const CpaInstanceHandle dcInstance,
                                 Cpa32U inputSize,
                                 Cpa32U *outputSize);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_DC_H */

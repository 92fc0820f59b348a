/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: SAL version query (API version, library version, per-device
   firmware/software/hardware version strings).
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef _ICP_SAL_VERSIONS_H_
#define _ICP_SAL_VERSIONS_H_

#include "cpa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* qatlib's header includes <qat_library_version.h>, which qatlib does not
   install; softqat defines the library version here instead. */
#ifndef QAT_LIBRARY_VERSION_MAJOR
#define QAT_LIBRARY_VERSION_MAJOR 26
#define QAT_LIBRARY_VERSION_MINOR 8
#define QAT_LIBRARY_VERSION_PATCH 0
#endif

/* ICP (icp_sal_*) API version: 1.1. */
#define ICP_API_VERSION_NUM_MAJOR (1)
#define ICP_API_VERSION_NUM_MINOR (1)

/* True when the ICP API version is >= major.minor. */
#define ICP_API_VERSION_AT_LEAST(major, minor)                                 \
    (ICP_API_VERSION_NUM_MAJOR > major ||                                      \
     (ICP_API_VERSION_NUM_MAJOR == major &&                                    \
      ICP_API_VERSION_NUM_MINOR >= minor))

/* True when the ICP API version is < major.minor. */
#define ICP_API_VERSION_LESS_THAN(major, minor)                                \
    (ICP_API_VERSION_NUM_MAJOR < major ||                                      \
     (ICP_API_VERSION_NUM_MAJOR == major &&                                    \
      ICP_API_VERSION_NUM_MINOR < minor))

/* Sizes of the version strings in icp_sal_dev_version_info_t. */
#define ICP_SAL_VERSIONS_FW_VERSION_SIZE 16
#define ICP_SAL_VERSIONS_SW_VERSION_SIZE 16
#define ICP_SAL_VERSIONS_MMP_VERSION_SIZE 16
#define ICP_SAL_VERSIONS_HW_VERSION_SIZE 4

/* String helpers used to build the embedded version marker below. */
#define VERSION_STRING(ver) #ver
#define VERSION_CONCAT(ver, ...) VERSION_STRING(ver) #__VA_ARGS__
#define QAT_SW_VERSION(s1, s2, s3, s4) s1 s2 s3 s4

/* Marker string "QAT_SOFTWARE_VERSION=<maj>.<min>.<patch>" kept in every
   object that includes this header, as with qatlib. */
static const char *__attribute__((used)) qat_sw_version =
    QAT_SW_VERSION(VERSION_CONCAT(QAT_SOFTWARE_VERSION, =),
                   VERSION_CONCAT(QAT_LIBRARY_VERSION_MAJOR, .),
                   VERSION_CONCAT(QAT_LIBRARY_VERSION_MINOR, .),
                   VERSION_CONCAT(QAT_LIBRARY_VERSION_PATCH));

/* Version strings of one device. */
typedef struct icp_sal_dev_version_info_s
{
    Cpa32U devId;
    Cpa8U firmwareVersion[ICP_SAL_VERSIONS_FW_VERSION_SIZE];
    Cpa8U mmpVersion[ICP_SAL_VERSIONS_MMP_VERSION_SIZE];
    Cpa8U softwareVersion[ICP_SAL_VERSIONS_SW_VERSION_SIZE];
    Cpa8U hardwareVersion[ICP_SAL_VERSIONS_HW_VERSION_SIZE];
} icp_sal_dev_version_info_t;

/* Fill pVerInfo for device accelId (its packageId). */
CpaStatus icp_sal_getDevVersionInfo(Cpa32U accelId,
                                    icp_sal_dev_version_info_t *pVerInfo);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* _ICP_SAL_VERSIONS_H_ */

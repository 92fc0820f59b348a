/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: CPA base integer types, CpaBoolean and bitmap helpers.
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_TYPES_H
#define CPA_TYPES_H

#ifdef __cplusplus
extern "C" {
#endif

/* softqat is user space only; stdio.h is kept because qatlib's header
   pulls it in and existing programs may rely on that. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

/* Fixed-width integers used throughout the API. */
typedef uint8_t Cpa8U;
typedef int8_t Cpa8S;
typedef uint16_t Cpa16U;
typedef int16_t Cpa16S;
typedef uint32_t Cpa32U;
typedef int32_t Cpa32S;
typedef uint64_t Cpa64U;
typedef int64_t Cpa64S;

#ifndef NULL
#define NULL (0)
#endif

/* Boolean as an int-sized enum (4 bytes in structs). */
typedef enum
{
    CPA_FALSE = (0 == 1),
    CPA_TRUE = (1 == 1)
} CpaBoolean;

/* Declare an array of 32-bit words holding sizeInBits bits. */
#define CPA_BITMAP(name, sizeInBits) Cpa32U name[((sizeInBits) + 31) / 32]

/* Non-zero when the bit is set. */
#define CPA_BITMAP_BIT_TEST(bitmask, bit)                                      \
    ((bitmask[(bit) / 32]) & (0x1 << ((bit) % 32)))

/* Set one bit. */
#define CPA_BITMAP_BIT_SET(bitmask, bit)                                       \
    (bitmask[(bit) / 32] |= (0x1 << ((bit) % 32)))

/* Clear one bit. */
#define CPA_BITMAP_BIT_CLEAR(bitmask, bit)                                     \
    (bitmask[(bit) / 32] &= ~(0x1 << ((bit) % 32)))

/* Marks deprecated API items; expands to nothing, as in qatlib. */
#define CPA_DEPRECATED

/* Single-bit mask. */
#define CPA_BITMASK(bit) (1UL << (bit))

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_TYPES_H */
